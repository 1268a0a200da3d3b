-- The bucket registry. Secrets never live here: only references into a secrets backend.
CREATE TABLE buckets (
    id                  uuid        PRIMARY KEY,
    name                text        NOT NULL UNIQUE,
    provider            text        NOT NULL CHECK (provider IN ('aws', 'gcp', 's3_compatible', 'minio')),
    region              text,
    endpoint            text,
    auth_mode           text        NOT NULL CHECK (auth_mode IN ('role', 'static', 'workload_identity', 'public')),
    role_arn            text,
    external_id         text,
    gcp_service_account text,
    secrets_backend     text,
    secret_ref          text,
    secret_version      text,
    kms_key_ref         text,
    status              text        NOT NULL CHECK (status IN ('active', 'suspended')),
    owner_project       text,
    labels              jsonb       NOT NULL DEFAULT '{}'::jsonb,
    allowed_ops         text[]      NOT NULL,
    prefix_bindings     jsonb       NOT NULL DEFAULT '[]'::jsonb,
    requester_pays      boolean     NOT NULL DEFAULT false,
    upload_allowed      boolean     NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    revision            bigint      NOT NULL CHECK (revision > 0)
);

CREATE INDEX buckets_status_idx ON buckets (status);
CREATE INDEX buckets_provider_idx ON buckets (provider);
CREATE INDEX buckets_owner_project_idx ON buckets (owner_project);

-- Every mutation, with the bucket as it was and as it became. Rows are only ever inserted.
CREATE TABLE audit_events (
    id          bigserial   PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    actor       text        NOT NULL,
    action      text        NOT NULL,
    bucket_name text        NOT NULL,
    before      jsonb,
    after       jsonb
);

CREATE INDEX audit_events_bucket_idx ON audit_events (bucket_name, occurred_at);
