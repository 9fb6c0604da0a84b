import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** viewer reads; operator also creates enrollment codes and revokes devices; admin also manages admin users and sees the queues. */
export type AdminRole = 'viewer' | 'operator' | 'admin';

export const ADMIN_ROLES: readonly AdminRole[] = ['viewer', 'operator', 'admin'];

/** A member of the issuer's operations or fraud staff who signs in to the dashboard. */
@Entity('admin_users')
export class AdminUser {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Always lower case: one person, one account. */
  @Column({ type: 'text', unique: true })
  email!: string;

  /** scrypt, with its parameters and salt (see apps/api/src/admin/auth/password.ts). */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ type: 'text' })
  role!: AdminRole;

  /** Consecutive failed sign-ins; reset by a successful one. */
  @Column({ name: 'failed_sign_ins', type: 'int', default: 0 })
  failedSignIns!: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true })
  lastSignInAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
