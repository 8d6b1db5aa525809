// A model version's params.yaml (SPEC §5): the θ and event definition its decisions use.

/** The last three are written by `pt train` since entries became event starts; older versions lack them. */
export interface ModelDecisionParams {
  theta1: number;
  theta2: number;
  z_entry: number;
  z_exit: number;
  M: number;
  theta_stop: number;
  theta_speed?: number;
  speed_lookback_bars?: number;
  signal_z?: 'raw' | 'ema';
}
