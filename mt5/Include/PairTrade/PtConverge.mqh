// One convergence run of a pair: orders that move both legs from the broker's lots to the target, leg A
// first, with retries, partial fills, and the unwind of an entry whose other leg fails (no naked leg).
#ifndef PT_CONVERGE_MQH
#define PT_CONVERGE_MQH

#include "PtCore.mqh"
#include "PtLots.mqh"

#define PT_MAX_SENDS 5 // order sends per leg and phase before the phase fails

#define PT_OUT_RUNNING 0
#define PT_OUT_DONE 1       // both legs at the target
#define PT_OUT_ABANDONED 2  // an entry failed and was unwound to where it started
#define PT_OUT_NAKED 3      // the unwind failed too, or an exit stopped with one leg open
#define PT_OUT_INCOMPLETE 4 // an exit or reduction stopped short, both legs still open (retried later)

struct PtOrder {
  int leg;     // 0 = A, 1 = B
  int sign;    // +1 BUY, -1 SELL
  double lots; // > 0, whole steps
  bool reduce; // close lots of the leg's open positions (hedging account) rather than open a new one
};

// Retcodes worth sending again at once: the request was fine, the moment was not.
bool PtRetriable(const int retcode) {
  return retcode == PT_RC_REQUOTE || retcode == PT_RC_PRICE_CHANGED || retcode == PT_RC_PRICE_OFF ||
         retcode == PT_RC_TIMEOUT || retcode == PT_RC_CONNECTION || retcode == PT_RC_TOO_MANY_REQUESTS ||
         retcode == PT_RC_LOCKED || retcode == PT_RC_FROZEN;
}

bool PtFilledRetcode(const int retcode) {
  return retcode == PT_RC_DONE || retcode == PT_RC_DONE_PARTIAL || retcode == PT_RC_PLACED;
}

int PtSign(const double v) {
  if (v > 0) return 1;
  if (v < 0) return -1;
  return 0;
}

class PtConverge {
public:
  double m_cur[2];
  double m_start[2];
  double m_target[2];
  double m_step[2];
  double m_unwind[2];
  double m_exit[2]; // the target without the run's entry (below)
  bool m_entry;     // the run adds exposure on some leg (open, flip, resize up)
  bool m_unwinding; // an entry failed: going back to m_unwind
  int m_phase;      // 0: leg A, 1: leg B, 2: finished
  int m_sends;
  int m_outcome;
  int m_failed_leg; // the leg whose phase failed first, -1 when none
  int m_last_retcode;

  // Half a step, the tolerance of "at the target".
  bool Near(const double a, const double b, const double vstep) const { return MathAbs(a - b) < vstep * 0.5; }

  bool AtTarget() const { return Near(m_cur[0], m_target[0], m_step[0]) && Near(m_cur[1], m_target[1], m_step[1]); }

  // Exactly one leg open: the state the EA must never leave behind.
  bool Naked() const {
    bool openA = !Near(m_cur[0], 0, m_step[0]);
    bool openB = !Near(m_cur[1], 0, m_step[1]);
    return openA != openB;
  }

  void Begin(const double curA, const double curB, const double tgtA, const double tgtB, const double stepA,
             const double stepB) {
    m_cur[0] = curA;
    m_cur[1] = curB;
    m_start[0] = curA;
    m_start[1] = curB;
    m_target[0] = tgtA;
    m_target[1] = tgtB;
    m_step[0] = stepA;
    m_step[1] = stepB;
    m_entry = false;
    for (int leg = 0; leg < 2; leg++) {
      bool flips = PtSign(m_target[leg]) != 0 && PtSign(m_cur[leg]) != 0 && PtSign(m_target[leg]) != PtSign(m_cur[leg]);
      if (flips || MathAbs(m_target[leg]) > MathAbs(m_cur[leg]) + m_step[leg] * 0.5) m_entry = true;
    }
    // An entry that fails goes back to a clean start (both legs open or both flat), else to flat.
    bool cleanStart = Near(curA, 0, stepA) == Near(curB, 0, stepB);
    m_unwind[0] = cleanStart ? curA : 0;
    m_unwind[1] = cleanStart ? curB : 0;
    // An entry given up before it is sent (no_margin, entry_expired) still carries out the exits in the run: a leg
    // goes toward its target only where that reduces or closes it (a flip closes), else stays; flat when one leg
    // would be left open alone.
    for (int leg = 0; leg < 2; leg++) {
      bool reduces = PtSign(m_target[leg]) == PtSign(m_cur[leg]) && MathAbs(m_target[leg]) < MathAbs(m_cur[leg]);
      m_exit[leg] = PtSign(m_target[leg]) != PtSign(m_cur[leg]) ? 0 : (reduces ? m_target[leg] : m_cur[leg]);
    }
    if (Near(m_exit[0], 0, stepA) != Near(m_exit[1], 0, stepB)) {
      m_exit[0] = 0;
      m_exit[1] = 0;
    }
    m_unwinding = false;
    m_phase = 0;
    m_sends = 0;
    m_outcome = PT_OUT_RUNNING;
    m_failed_leg = -1;
    m_last_retcode = 0;
  }

  double Goal(const int leg) const { return m_unwinding ? m_unwind[leg] : m_target[leg]; }

  // The next order to send; false when the run is over (m_outcome says how).
  bool Next(PtOrder &order) {
    while (m_outcome == PT_OUT_RUNNING) {
      if (m_phase >= 2) {
        Finish();
        break;
      }
      int leg = m_phase;
      double delta = PtRoundDelta(Goal(leg) - m_cur[leg], m_step[leg]);
      if (delta == 0) {
        m_phase++;
        m_sends = 0;
        continue;
      }
      if (m_sends >= PT_MAX_SENDS) {
        FailPhase(leg);
        continue;
      }
      order.leg = leg;
      order.sign = delta > 0 ? 1 : -1;
      order.reduce = PtSign(m_cur[leg]) != 0 && PtSign(m_cur[leg]) != order.sign;
      double mag = MathAbs(delta);
      // A flip closes what is open first, then opens the rest as a new position.
      if (order.reduce && mag > MathAbs(m_cur[leg])) mag = NormalizeDouble(MathAbs(m_cur[leg]), 8);
      order.lots = mag;
      return true;
    }
    return false;
  }

  // The broker's answer to `order`: its retcode and the lots it filled (0 when none).
  void OnResult(const PtOrder &order, const int retcode, const double filled) {
    m_sends++;
    m_last_retcode = retcode;
    double done = MathMax(0, MathMin(filled, order.lots));
    if (done > 0) m_cur[order.leg] = NormalizeDouble(m_cur[order.leg] + order.sign * done, 8);
    if (PtFilledRetcode(retcode) || PtRetriable(retcode)) return; // Next() sends the remainder
    FailPhase(order.leg);
  }

private:
  void FailPhase(const int leg) {
    if (m_failed_leg < 0) m_failed_leg = leg;
    if (m_entry && !m_unwinding) {
      m_unwinding = true;
      m_phase = 0;
      m_sends = 0;
      return;
    }
    m_outcome = Naked() ? PT_OUT_NAKED : PT_OUT_INCOMPLETE;
  }

  void Finish() {
    if (!m_unwinding) m_outcome = PT_OUT_DONE;
    else m_outcome = Naked() ? PT_OUT_NAKED : PT_OUT_ABANDONED;
  }
};

#endif
