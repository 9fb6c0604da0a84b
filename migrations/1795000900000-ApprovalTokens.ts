import { MigrationInterface, QueryRunner } from 'typeorm';

export class ApprovalTokens1795000900000 implements MigrationInterface {
  name = 'ApprovalTokens1795000900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE approval_tokens (
        id uuid PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        session_id uuid NOT NULL UNIQUE,
        customer_number text NOT NULL,
        amount numeric NOT NULL,
        currency char(3) NOT NULL,
        merchant_name text NOT NULL,
        device_id uuid NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        issued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX approval_tokens_device ON approval_tokens (device_id);

      -- Idempotency keys of POST /api/v1/authenticate-with-token. The primary key makes
      -- the first answer win a race; rows are kept (at least 24 h, the seed's minimum).
      CREATE TABLE token_verifications (
        payment_integrator_account_id text NOT NULL,
        request_id text NOT NULL,
        request_hash text NOT NULL,
        response jsonb NOT NULL,
        approval_token_id uuid REFERENCES approval_tokens(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (payment_integrator_account_id, request_id)
      );
      CREATE INDEX token_verifications_created ON token_verifications (created_at);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE token_verifications;
      DROP TABLE approval_tokens;
    `);
  }
}
