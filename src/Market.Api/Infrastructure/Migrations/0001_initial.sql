-- Initial schema. Portable between SQLite and PostgreSQL: integers are BIGINT, token amounts
-- (uint256) are decimal TEXT, hashes/addresses are lower-case 0x-hex TEXT, times are unix
-- milliseconds (BIGINT) unless the column says _sec (chain time, seconds).

-- Wallet sign-in (EIP-4361 style): one row per issued challenge; used_at makes replay visible.
CREATE TABLE auth_challenges (
    nonce       TEXT PRIMARY KEY,
    address     TEXT NOT NULL,
    message     TEXT NOT NULL,
    issued_at   BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT NULL
);

-- Bearer tokens, stored as Keccak-256 hashes so a database leak does not leak sessions.
CREATE TABLE auth_sessions (
    token_hash  TEXT PRIMARY KEY,
    address     TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX ix_auth_sessions_address ON auth_sessions (address);

-- Consumer jobs: the spec, the signed bid and where the job is in its life.
CREATE TABLE jobs (
    id               BIGINT PRIMARY KEY,
    request_id       TEXT NULL UNIQUE,
    consumer         TEXT NOT NULL,
    status           TEXT NOT NULL,
    spec_json        TEXT NOT NULL,
    spec_hash        TEXT NOT NULL,
    bid_hash         TEXT NOT NULL UNIQUE,
    signature        TEXT NOT NULL,
    compute_type     BIGINT NOT NULL,
    grade            BIGINT NOT NULL,
    milli_ncu        BIGINT NOT NULL,
    max_price        TEXT NOT NULL,
    max_duration_sec BIGINT NOT NULL,
    min_uptime_bps   BIGINT NOT NULL,
    constraints_hash TEXT NOT NULL,
    nonce            TEXT NOT NULL,
    deadline_sec     BIGINT NOT NULL,
    max_lock         TEXT NOT NULL,
    offer_id         BIGINT NULL,
    lease_id         BIGINT NULL,
    provider         TEXT NULL,
    price            TEXT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (consumer, nonce)
);
CREATE INDEX ix_jobs_consumer ON jobs (consumer, id);
CREATE INDEX ix_jobs_consumer_status ON jobs (consumer, status);
CREATE INDEX ix_jobs_lease ON jobs (lease_id);

-- The status timeline of each job.
CREATE TABLE job_events (
    job_id  BIGINT NOT NULL,
    seq     BIGINT NOT NULL,
    at      BIGINT NOT NULL,
    status  TEXT NOT NULL,
    detail  TEXT NULL,
    PRIMARY KEY (job_id, seq)
);

-- Every command given to the matching engine, written before it is applied, replayed at start.
CREATE TABLE engine_journal (
    seq      BIGINT PRIMARY KEY,
    kind     TEXT NOT NULL,
    payload  TEXT NOT NULL,
    at       BIGINT NOT NULL
);

-- Names (regions, GPU models) compiled to the small integer ids the engine's bitmasks use. Kept
-- here so ids survive restarts and the journal replays against the same numbering.
CREATE TABLE constraint_names (
    kind  TEXT NOT NULL,
    name  TEXT NOT NULL,
    id    BIGINT NOT NULL,
    PRIMARY KEY (kind, name)
);

-- Trades the engine made, and per-market figures (last clearing price of batch auctions).
CREATE TABLE trades (
    seq          BIGINT NOT NULL,
    bid_id       BIGINT NOT NULL,
    offer_id     BIGINT NOT NULL,
    price        TEXT NOT NULL,
    milli_ncu    BIGINT NOT NULL,
    compute_type BIGINT NOT NULL,
    grade        BIGINT NOT NULL,
    at           BIGINT NOT NULL,
    PRIMARY KEY (seq, bid_id)
);
CREATE INDEX ix_trades_market ON trades (compute_type, grade, seq);
CREATE TABLE market_stats (
    compute_type        BIGINT NOT NULL,
    grade               BIGINT NOT NULL,
    last_clearing_price TEXT NOT NULL,
    updated_at          BIGINT NOT NULL,
    PRIMARY KEY (compute_type, grade)
);

-- Engine commands derived from chain events, written in the indexer's transaction and moved to
-- the journal in the engine's: each chain event reaches the engine exactly once, across crashes.
CREATE TABLE engine_outbox (
    origin   TEXT PRIMARY KEY,
    payload  TEXT NOT NULL,
    created  BIGINT NOT NULL
);

-- Chain indexer: the last fully processed block per stream, and the raw events it persisted.
CREATE TABLE chain_cursors (
    name   TEXT PRIMARY KEY,
    block  BIGINT NOT NULL
);
CREATE TABLE chain_events (
    block_number BIGINT NOT NULL,
    log_index    BIGINT NOT NULL,
    tx_hash      TEXT NOT NULL,
    contract     TEXT NOT NULL,
    name         TEXT NOT NULL,
    data         TEXT NOT NULL,
    PRIMARY KEY (block_number, log_index)
);

-- Read models fed by the indexer.
CREATE TABLE providers (
    address          TEXT PRIMARY KEY,
    status           TEXT NOT NULL,
    stake            TEXT NOT NULL,
    metadata_uri     TEXT NOT NULL,
    attestation_hash TEXT NOT NULL,
    last_heartbeat   BIGINT NULL,
    updated_block    BIGINT NOT NULL
);
CREATE TABLE provider_capacity (
    address      TEXT NOT NULL,
    compute_type BIGINT NOT NULL,
    milli_ncu    BIGINT NOT NULL,
    PRIMARY KEY (address, compute_type)
);
CREATE TABLE offers (
    id               BIGINT PRIMARY KEY,
    provider         TEXT NOT NULL,
    compute_type     BIGINT NOT NULL,
    grade            BIGINT NOT NULL,
    capacity_milli   BIGINT NOT NULL,
    reserved_milli   BIGINT NOT NULL,
    price            TEXT NOT NULL,
    max_duration_sec BIGINT NOT NULL,
    uptime_bps       BIGINT NOT NULL,
    penalty_bps      BIGINT NOT NULL,
    region           TEXT NOT NULL,
    attributes_hash  TEXT NOT NULL,
    expires_at_sec   BIGINT NOT NULL,
    status           TEXT NOT NULL,
    updated_block    BIGINT NOT NULL
);
CREATE INDEX ix_offers_market ON offers (compute_type, grade, status);
CREATE TABLE escrow_balances (
    address  TEXT PRIMARY KEY,
    free     TEXT NOT NULL,
    locked   TEXT NOT NULL
);
CREATE TABLE leases (
    id               BIGINT PRIMARY KEY,
    job_id           BIGINT NULL,
    consumer         TEXT NOT NULL,
    provider         TEXT NOT NULL,
    offer_id         BIGINT NOT NULL,
    job_spec_hash    TEXT NOT NULL,
    milli_ncu        BIGINT NOT NULL,
    price            TEXT NOT NULL,
    max_duration_sec BIGINT NOT NULL,
    lock_amount      TEXT NOT NULL,
    start_sec        BIGINT NOT NULL,
    status           TEXT NOT NULL,
    open_tx          TEXT NOT NULL,
    updated_block    BIGINT NOT NULL,
    batch_id         BIGINT NULL,
    agent_status     TEXT NULL,
    exit_code        BIGINT NULL,
    agent_detail     TEXT NULL,
    running_at       BIGINT NULL,
    ended_at         BIGINT NULL
);
CREATE INDEX ix_leases_provider ON leases (provider, status);
CREATE INDEX ix_leases_batch ON leases (batch_id);

-- What provider agents report: heartbeats, output, results and signed usage.
CREATE TABLE agent_heartbeats (
    address         TEXT PRIMARY KEY,
    at              BIGINT NOT NULL,
    version         TEXT NOT NULL,
    free_milli_ncu  BIGINT NOT NULL,
    running         TEXT NOT NULL
);
CREATE TABLE job_logs (
    job_id  BIGINT NOT NULL,
    seq     BIGINT NOT NULL,
    stream  TEXT NOT NULL,
    at      BIGINT NOT NULL,
    data    TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE TABLE job_results (
    job_id        BIGINT PRIMARY KEY,
    content_type  TEXT NOT NULL,
    data          TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE TABLE usage_reports (
    lease_id           BIGINT NOT NULL,
    seq                BIGINT NOT NULL,
    from_sec           BIGINT NOT NULL,
    to_sec             BIGINT NOT NULL,
    milli_ncu_seconds  BIGINT NOT NULL,
    signature          TEXT NOT NULL,
    received_at        BIGINT NOT NULL,
    PRIMARY KEY (lease_id, seq)
);
