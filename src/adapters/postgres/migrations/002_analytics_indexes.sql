-- pt serve's analytics (docs/api.md): the trades rebuilt from the fills are kept until the fills change,
-- checked at each request with max(synced_at) (this index) next to count(*); the risk series reads the
-- DD level changes of every shard in bar order.
CREATE INDEX fills_synced_at ON fills (synced_at);
CREATE INDEX dd_levels_bar_ts ON dd_levels (bar_ts);
