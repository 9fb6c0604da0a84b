import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A cardholder, known by Enfuce's customerNumber. */
@Entity('cardholders')
export class Cardholder {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'customer_number', type: 'text', unique: true })
  customerNumber!: string;

  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
