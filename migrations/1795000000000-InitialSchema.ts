import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795000000000 implements MigrationInterface {
  name = 'InitialSchema1795000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE institutions (
        code text PRIMARY KEY,
        name text,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE cardholders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_number text NOT NULL UNIQUE,
        display_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE devices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        cardholder_id uuid NOT NULL REFERENCES cardholders(id) ON DELETE CASCADE,
        name text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'revoked')),
        credential_id text NOT NULL UNIQUE,
        public_key bytea NOT NULL,
        sign_count bigint NOT NULL DEFAULT 0,
        transports text[] NOT NULL DEFAULT '{}',
        push_subscription jsonb,
        push_status text NOT NULL CHECK (push_status IN ('active', 'none', 'expired')),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX devices_active_by_cardholder ON devices (cardholder_id) WHERE status = 'active';

      CREATE TABLE enrollments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        cardholder_id uuid NOT NULL REFERENCES cardholders(id) ON DELETE CASCADE,
        code_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        device_id uuid REFERENCES devices(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE authentication_sessions (
        session_id uuid PRIMARY KEY,
        institution_code text NOT NULL,
        customer_number text NOT NULL,
        state text NOT NULL,
        result text CHECK (result IN ('SUCCESS', 'FAIL', 'ERROR', 'TIMEOUT')),
        merchant_name text NOT NULL,
        merchant_country text,
        merchant_url text,
        amount numeric NOT NULL,
        currency char(3) NOT NULL,
        card_number_masked text,
        received_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        settled_at timestamptz,
        decided_by_device_id uuid,
        decline_reason text,
        error_reason text,
        callback_outcome text,
        callback_settled_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX authentication_sessions_received ON authentication_sessions (received_at DESC);
      CREATE INDEX authentication_sessions_customer ON authentication_sessions (customer_number, received_at DESC);
      CREATE INDEX authentication_sessions_result ON authentication_sessions (result, received_at DESC);

      CREATE TABLE callback_attempts (
        id bigserial PRIMARY KEY,
        session_id uuid NOT NULL,
        attempt int NOT NULL,
        result text NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms int NOT NULL,
        status_code int,
        error text
      );
      CREATE INDEX callback_attempts_session ON callback_attempts (session_id, attempt);

      CREATE TABLE push_deliveries (
        id bigserial PRIMARY KEY,
        session_id uuid NOT NULL,
        device_id uuid NOT NULL,
        sent_at timestamptz NOT NULL,
        duration_ms int NOT NULL,
        status_code int,
        outcome text NOT NULL CHECK (outcome IN ('accepted', 'expired', 'refused', 'transient')),
        error text
      );
      CREATE INDEX push_deliveries_session ON push_deliveries (session_id);

      CREATE TABLE audit_events (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        type text NOT NULL,
        customer_number text,
        session_id uuid,
        device_id uuid,
        remote_address text,
        request_id text,
        details jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_events_occurred ON audit_events (occurred_at DESC);
      CREATE INDEX audit_events_type ON audit_events (type, occurred_at DESC);
      CREATE INDEX audit_events_customer ON audit_events (customer_number, occurred_at DESC);

      -- The audit log is evidence: the database itself refuses to change or delete it.
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only';
      END;
      $$;
      CREATE TRIGGER audit_events_append_only
        BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE audit_events;
      DROP FUNCTION audit_events_append_only();
      DROP TABLE push_deliveries;
      DROP TABLE callback_attempts;
      DROP TABLE authentication_sessions;
      DROP TABLE enrollments;
      DROP TABLE devices;
      DROP TABLE cardholders;
      DROP TABLE institutions;
    `);
  }
}
