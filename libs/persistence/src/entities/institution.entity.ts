import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An issuer, known by the institutionCode in Enfuce's callback URLs. */
@Entity('institutions')
export class Institution {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
