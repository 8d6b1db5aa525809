-- pt's history tables (pt sync): what pt live, pt paper, the EA and the alerts write locally, keyed so
-- that shipping a row twice adds nothing. Applied by `pt db migrate` in one transaction.

-- One row per signal_id (an entry of a signal.json). A bar processed again after a restart carries the
-- same signal_id in a later seq: the row of the highest seq is kept, as every reader of the history does.
CREATE TABLE signals (
  signal_id       text PRIMARY KEY,
  shard           integer NOT NULL,
  seq             bigint NOT NULL,
  generated_at    timestamptz NOT NULL,
  model_version   text NOT NULL,
  stale           boolean NOT NULL,
  global_halt     boolean NOT NULL,
  leverage_scale  double precision NOT NULL,
  pair_id         text NOT NULL,
  bar_ts          timestamptz NOT NULL,
  action          text NOT NULL,
  side            text NOT NULL,
  target_side     text NOT NULL,
  target_lots_a   double precision NOT NULL,
  target_lots_b   double precision NOT NULL,
  target_legs     jsonb NOT NULL,
  z               double precision,
  beta            double precision,
  return_prob     double precision,
  risk_score      double precision,
  position_scale  double precision NOT NULL,
  reason          text NOT NULL,
  expires_at      timestamptz,
  synced_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signals_shard_bar_ts ON signals (shard, bar_ts);
CREATE INDEX signals_pair_bar_ts ON signals (pair_id, bar_ts);

-- One row per line of a shard's fills.csv: keyed by the deal ticket (unique in a broker account; pt
-- paper's ticket), or by the line number for a request that made no deal (deal 0: a failed request).
CREATE TABLE fills (
  shard         integer NOT NULL,
  fill_id       text NOT NULL,
  time_gmt      timestamptz NOT NULL,
  pair_id       text NOT NULL,
  magic         bigint NOT NULL,
  leg           text NOT NULL,
  symbol        text NOT NULL,
  side          text NOT NULL,
  reduce        boolean NOT NULL,
  lots          double precision NOT NULL,
  filled        double precision NOT NULL,
  price         double precision NOT NULL,
  order_ticket  bigint NOT NULL,
  deal          bigint NOT NULL,
  retcode       integer NOT NULL,
  synced_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shard, fill_id)
);
CREATE INDEX fills_pair_time ON fills (pair_id, time_gmt);

-- account.json as found at each sync, keyed by its writer's ts.
CREATE TABLE account_snapshots (
  shard      integer NOT NULL,
  ts         timestamptz NOT NULL,
  equity     double precision NOT NULL,
  balance    double precision NOT NULL,
  margin     double precision,
  positions  jsonb NOT NULL,
  alerts     jsonb NOT NULL,
  synced_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shard, ts)
);

-- The DD policy's level changes of a shard (pt live's dd.action audit entries): at most one per bar.
CREATE TABLE dd_levels (
  shard         integer NOT NULL,
  bar_ts        timestamptz NOT NULL,
  level         text NOT NULL,
  drawdown      double precision,
  pairs         jsonb NOT NULL,
  before_level  text,
  before_pairs  jsonb,
  audited_at    timestamptz NOT NULL,
  synced_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shard, bar_ts)
);

-- The records of <ops_dir>/alerts.jsonl, keyed by their event id.
CREATE TABLE alerts (
  event_id     text PRIMARY KEY,
  error_id     text NOT NULL,
  severity     text NOT NULL,
  source       text NOT NULL,
  message      text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  details      jsonb NOT NULL,
  synced_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_occurred_at ON alerts (occurred_at);

-- Where pt sync stopped in each source: updated in the transaction of the rows it covers.
CREATE TABLE sync_cursors (
  source      text NOT NULL,
  scope       text NOT NULL,
  position    jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, scope)
);
