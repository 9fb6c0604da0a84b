import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The operations dashboard: its users, the device activity the timeline shows, who
 * did an admin action, and the indexes that keep its lists fast at a million
 * sessions. Every list pages by keyset (newest first, the id breaking ties), so
 * each index ends with the sort key and the id.
 */
export class OperationsDashboard1795000400000 implements MigrationInterface {
  name = 'OperationsDashboard1795000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE EXTENSION IF NOT EXISTS pg_trgm;

      CREATE TABLE admin_users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL UNIQUE CHECK (email = lower(email)),
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        failed_sign_ins int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        disabled_at timestamptz,
        last_sign_in_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      -- The first time each device fetched (poll) or opened a challenge: the timeline
      -- shows it; later fetches of the same challenge change nothing.
      CREATE TABLE challenge_views (
        session_id uuid NOT NULL,
        device_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('fetched', 'opened')),
        first_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session_id, device_id, kind)
      );

      -- Who did an admin action (the admin's email); null for events of devices, Enfuce or the issuer.
      ALTER TABLE audit_events ADD COLUMN actor text;

      DROP INDEX authentication_sessions_received;
      DROP INDEX authentication_sessions_customer;
      DROP INDEX authentication_sessions_result;
      CREATE INDEX authentication_sessions_page ON authentication_sessions (received_at DESC, session_id DESC);
      CREATE INDEX authentication_sessions_customer_page ON authentication_sessions (customer_number, received_at DESC, session_id DESC);
      CREATE INDEX authentication_sessions_result_page ON authentication_sessions (result, received_at DESC, session_id DESC);
      CREATE INDEX authentication_sessions_pending ON authentication_sessions (received_at DESC, session_id DESC) WHERE result IS NULL;
      CREATE INDEX authentication_sessions_not_me ON authentication_sessions (received_at DESC, session_id DESC) WHERE decline_reason = 'not_me';
      CREATE INDEX authentication_sessions_merchant_trgm ON authentication_sessions USING gin (merchant_name gin_trgm_ops);
      CREATE INDEX authentication_sessions_decided_by ON authentication_sessions (decided_by_device_id) WHERE decided_by_device_id IS NOT NULL;

      CREATE INDEX push_deliveries_sent ON push_deliveries (sent_at);
      CREATE INDEX callback_attempts_started ON callback_attempts (started_at);

      CREATE INDEX audit_events_type_page ON audit_events (type, id DESC);
      CREATE INDEX audit_events_customer_page ON audit_events (customer_number, id DESC);
      CREATE INDEX audit_events_session ON audit_events (session_id, id) WHERE session_id IS NOT NULL;
      CREATE INDEX audit_events_device ON audit_events (device_id, id) WHERE device_id IS NOT NULL;

      CREATE INDEX cardholders_customer_prefix ON cardholders (customer_number text_pattern_ops);
      CREATE INDEX devices_by_cardholder ON devices (cardholder_id, created_at);
      CREATE INDEX enrollments_by_cardholder ON enrollments (cardholder_id, created_at);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX enrollments_by_cardholder;
      DROP INDEX devices_by_cardholder;
      DROP INDEX cardholders_customer_prefix;
      DROP INDEX audit_events_device;
      DROP INDEX audit_events_session;
      DROP INDEX audit_events_customer_page;
      DROP INDEX audit_events_type_page;
      DROP INDEX callback_attempts_started;
      DROP INDEX push_deliveries_sent;
      DROP INDEX authentication_sessions_decided_by;
      DROP INDEX authentication_sessions_merchant_trgm;
      DROP INDEX authentication_sessions_not_me;
      DROP INDEX authentication_sessions_pending;
      DROP INDEX authentication_sessions_result_page;
      DROP INDEX authentication_sessions_customer_page;
      DROP INDEX authentication_sessions_page;
      CREATE INDEX authentication_sessions_received ON authentication_sessions (received_at DESC);
      CREATE INDEX authentication_sessions_customer ON authentication_sessions (customer_number, received_at DESC);
      CREATE INDEX authentication_sessions_result ON authentication_sessions (result, received_at DESC);
      ALTER TABLE audit_events DROP COLUMN actor;
      DROP TABLE challenge_views;
      DROP TABLE admin_users;
    `);
    // pg_trgm stays installed: other schemas of the database may use it.
  }
}
