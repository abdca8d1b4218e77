-- Billing (docs/billing.md). Amounts are decimal TEXT (uint256), times unix milliseconds unless _sec.

-- One settlement proposal. Written as an intent (entries in their final order) before the
-- transaction is sent; propose_tx once sent; batch_id / window_end once mined; finalize_tx at the end.
CREATE TABLE billing_batches (
    batch_key      TEXT PRIMARY KEY,
    state          TEXT NOT NULL,
    entries        TEXT NOT NULL,
    created_block  BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    batch_id       TEXT NULL,
    window_end_sec BIGINT NOT NULL,
    fee_bps        BIGINT NOT NULL,
    propose_tx     TEXT NULL,
    propose_block  BIGINT NOT NULL,
    propose_gas    TEXT NOT NULL,
    finalize_tx    TEXT NULL,
    finalize_gas   TEXT NOT NULL
);
CREATE INDEX ix_billing_batches_state ON billing_batches (state);

-- One lease as billing settles it: usage, verdict and evidence, then what the chain moved.
CREATE TABLE billing_leases (
    lease_id       BIGINT PRIMARY KEY,
    consumer       TEXT NOT NULL,
    provider       TEXT NOT NULL,
    offer_id       BIGINT NOT NULL,
    price          TEXT NOT NULL,
    lock_amount    TEXT NOT NULL,
    penalty_bps    BIGINT NOT NULL,
    usage_mncu_s   TEXT NOT NULL,
    verdict        BIGINT NOT NULL,
    evidence       TEXT NOT NULL,
    state          TEXT NOT NULL,
    batch_key      TEXT NULL,
    batch_id       TEXT NULL,
    propose_tx     TEXT NULL,
    settle_tx      TEXT NULL,
    charge         TEXT NOT NULL,
    fee            TEXT NOT NULL,
    provider_paid  TEXT NOT NULL,
    refund         TEXT NOT NULL,
    penalty        TEXT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX ix_billing_leases_batch ON billing_leases (batch_key);
CREATE INDEX ix_billing_leases_state ON billing_leases (state);
CREATE INDEX ix_billing_leases_consumer ON billing_leases (consumer);
CREATE INDEX ix_billing_leases_provider ON billing_leases (provider);

-- When a lease's agent was seen alive (sampled from agent_heartbeats, which keeps only the last
-- one per provider), for the uptime rule.
CREATE TABLE billing_sightings (
    lease_id  BIGINT NOT NULL,
    at_sec    BIGINT NOT NULL,
    PRIMARY KEY (lease_id, at_sec)
);
