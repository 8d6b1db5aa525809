// Lot sizes against a symbol's SYMBOL_VOLUME_MIN / STEP / MAX.
#ifndef PT_LOTS_MQH
#define PT_LOTS_MQH

#include "PtCore.mqh"

// Slack on a step count, so 0.3 / 0.1 = 2.9999999999999996 counts as 3 steps and an exact half step rounds up.
#define PT_STEP_EPS 1e-7

struct PtVolume {
  string symbol; // the leg's broker_symbol as signal.json names it
  double vmin;
  double vstep;
  double vmax;
};

// `lots` (> 0) rounded to the nearest multiple of `step`, half a step up; -1 when the result is below
// `vmin`, above `vmax`, or the spec is unusable (step <= 0): a leg that cannot be sized refuses its signal.
double PtRoundLots(const double lots, const double vmin, const double vstep, const double vmax) {
  if (!(vstep > 0) || !(lots > 0)) return -1;
  double steps = MathFloor(lots / vstep + 0.5 + PT_STEP_EPS);
  double rounded = NormalizeDouble(steps * vstep, 8);
  if (rounded <= 0) return -1;
  if (rounded < vmin - vstep * PT_STEP_EPS) return -1;
  if (rounded > vmax + vstep * PT_STEP_EPS) return -1;
  return rounded;
}

// A signed lot difference rounded to whole steps (orders): 0 when under half a step.
double PtRoundDelta(const double delta, const double vstep) {
  if (!(vstep > 0)) return 0;
  double mag = MathFloor(MathAbs(delta) / vstep + 0.5 + PT_STEP_EPS) * vstep;
  mag = NormalizeDouble(mag, 8);
  return delta < 0 ? -mag : mag;
}

class PtVolumeTable {
public:
  int m_count;
  PtVolume m_items[PT_MAX_SYMBOLS];

  void Reset() { m_count = 0; }

  int Find(const string &symbol) const {
    for (int i = 0; i < m_count; i++)
      if (m_items[i].symbol == symbol) return i;
    return -1;
  }

  bool Set(const string &symbol, const double vmin, const double vstep, const double vmax) {
    int i = Find(symbol);
    if (i < 0) {
      if (m_count >= PT_MAX_SYMBOLS) return false;
      i = m_count;
      m_count++;
    }
    m_items[i].symbol = symbol;
    m_items[i].vmin = vmin;
    m_items[i].vstep = vstep;
    m_items[i].vmax = vmax;
    return true;
  }

  // The step of `symbol`, or 0 when unknown.
  double Step(const string &symbol) const {
    int i = Find(symbol);
    return i < 0 ? 0 : m_items[i].vstep;
  }

  // Rounded lots of `symbol`, or -1 (unknown symbol, or not sizable).
  double Round(const string &symbol, const double lots) const {
    int i = Find(symbol);
    if (i < 0) return -1;
    return PtRoundLots(lots, m_items[i].vmin, m_items[i].vstep, m_items[i].vmax);
  }
};

#endif
