// The EA's decisions: which signal.json files and entries it acts on, the target each pair converges to,
// and the state that survives a restart (last seq, seen signal_ids, targets). The rules are written out in
// test/fixtures/mt5/README.md; pt paper follows the same ones.
#ifndef PT_ENGINE_MQH
#define PT_ENGINE_MQH

#include "PtCore.mqh"
#include "PtLots.mqh"
#include "PtSignal.mqh"
#include "PtConverge.mqh"

#define PT_SEEN_CAP 4096 // ~ 170 days of a 10-pair 1h shard; older ids are also older than any new seq

#define PT_FILE_ACCEPTED 0
#define PT_FILE_INVALID 1
#define PT_FILE_STALE_SEQ 2

#define PT_MAX_FIELDS 8

// What a pair's convergence run may do (PtEngine::BeforeRun).
#define PT_RUN_SEND 0      // send the run's orders
#define PT_RUN_AT_TARGET 1 // the legs are at the target: nothing to send
#define PT_RUN_CLEARED 2   // at the target, and a naked_leg / incomplete alert that no longer holds was cleared
#define PT_RUN_EXPIRED 3   // an entry whose open has expired: given up, nothing sent (alert entry_expired)

struct PtFields {
  string f[PT_MAX_FIELDS];
  int count;
};

struct PtTarget {
  bool has; // false until the pair's first accepted entry: the EA leaves the pair alone until then
  int side;
  double lotsA; // signed: + bought, - sold
  double lotsB;
  string symA; // the legs' broker_symbol as signal.json names them
  string symB;
  // ms since 1970 of the expires_at of the open that set the target's side: runs that add exposure are sent only
  // before it (a late entry is never taken); -1 when no open did (FLAT, or a state file from before it was kept).
  long expires_ms;
};

struct PtPair {
  string pair_id;
  long magic;
  PtTarget target;
  // "" or what account.json reports: naked_leg or incomplete (until the legs are at the target), or an entry given
  // up: entry_failed, second_leg_failed, no_margin, entry_expired (until the pair's next entry run or alert).
  string alert;
};

struct PtDecision {
  string pair_id;
  bool act;
  string why;
};

struct PtStepResult {
  int file_status;
  string error;
  long seq;
  int count;
  PtDecision d[PT_MAX_PAIRS];
};

// The signal_ids acted on, oldest first, in a ring of PT_SEEN_CAP.
class PtSeenSet {
public:
  string m_ids[PT_SEEN_CAP];
  int m_count;
  int m_head; // index of the oldest when full

  void Reset() {
    m_count = 0;
    m_head = 0;
  }

  bool Contains(const string &id) const {
    for (int i = 0; i < m_count; i++)
      if (m_ids[i] == id) return true;
    return false;
  }

  void Add(const string &id) {
    if (m_count < PT_SEEN_CAP) {
      m_ids[m_count] = id;
      m_count++;
      return;
    }
    m_ids[m_head] = id;
    m_head = (m_head + 1) % PT_SEEN_CAP;
  }

  // The i-th id, oldest first.
  string Ordered(const int i) const { return m_ids[(m_head + i) % PT_SEEN_CAP]; }
};

class PtEngine {
public:
  long m_last_seq; // 0 before the first accepted file
  PtSeenSet m_seen;
  int m_pair_count;
  PtPair m_pairs[PT_MAX_PAIRS];
  PtSignalReader m_reader;
  PtSignalFile m_file;

  void Reset() {
    m_last_seq = 0;
    m_seen.Reset();
    m_pair_count = 0;
  }

  // Declares a pair the EA trades, with its magic number (pairs.csv). False when full or a duplicate.
  bool AddPair(const string &pairId, const long magic) {
    if (m_pair_count >= PT_MAX_PAIRS || FindPair(pairId) >= 0 || magic <= 0) return false;
    for (int i = 0; i < m_pair_count; i++)
      if (m_pairs[i].magic == magic) return false;
    m_pairs[m_pair_count].pair_id = pairId;
    m_pairs[m_pair_count].magic = magic;
    m_pairs[m_pair_count].target.has = false;
    m_pairs[m_pair_count].target.side = PT_SIDE_FLAT;
    m_pairs[m_pair_count].target.lotsA = 0;
    m_pairs[m_pair_count].target.lotsB = 0;
    m_pairs[m_pair_count].target.symA = "";
    m_pairs[m_pair_count].target.symB = "";
    m_pairs[m_pair_count].target.expires_ms = -1;
    m_pairs[m_pair_count].alert = "";
    m_pair_count++;
    return true;
  }

  int FindPair(const string &pairId) const {
    for (int i = 0; i < m_pair_count; i++)
      if (m_pairs[i].pair_id == pairId) return i;
    return -1;
  }

  // Reads a signal.json text and applies it (ApplyParsed). A text that is not a valid file changes nothing.
  int ApplyText(const string &text, const long nowMs, const PtVolumeTable &volumes, PtStepResult &res) {
    if (!m_reader.Read(text, m_file)) {
      Refuse(PT_FILE_INVALID, m_reader.m_error, res);
      return res.file_status;
    }
    return ApplyParsed(m_file, nowMs, volumes, res);
  }

  // The file-level check (seq), then one decision per entry, in file order.
  int ApplyParsed(const PtSignalFile &file, const long nowMs, const PtVolumeTable &volumes, PtStepResult &res) {
    if (file.seq <= m_last_seq) {
      Refuse(PT_FILE_STALE_SEQ, "seq " + IntegerToString(file.seq) + " is not newer than " + IntegerToString(m_last_seq),
             res);
      return res.file_status;
    }
    m_last_seq = file.seq;
    res.file_status = PT_FILE_ACCEPTED;
    res.error = "";
    res.seq = file.seq;
    res.count = 0;
    for (int i = 0; i < file.count && res.count < PT_MAX_PAIRS; i++) {
      res.d[res.count].pair_id = file.entries[i].pair_id;
      res.d[res.count].why = Decide(file, file.entries[i], nowMs, volumes);
      res.d[res.count].act = res.d[res.count].why == "new";
      res.count++;
    }
    return PT_FILE_ACCEPTED;
  }

  // Before a run of pair `pairIndex` (begun from the broker's lots toward its target), at `nowMs` (GMT):
  // - at the target: nothing to send; a naked_leg or incomplete alert no longer holds and is cleared;
  // - an entry (the run adds exposure) at or after the expiry of the open that set the target is given up, never
  //   sent late (GiveUpEntry), alert entry_expired. The next run goes to the new target; it adds no exposure, so
  //   it is never refused.
  // Exits and reductions are never subject to the expiry.
  int BeforeRun(const int pairIndex, const PtConverge &run, const long nowMs) {
    if (run.AtTarget()) {
      string alert = m_pairs[pairIndex].alert;
      if (alert != "naked_leg" && alert != "incomplete") return PT_RUN_AT_TARGET;
      m_pairs[pairIndex].alert = "";
      return PT_RUN_CLEARED;
    }
    if (run.m_entry && nowMs >= m_pairs[pairIndex].target.expires_ms) {
      GiveUpEntry(pairIndex, run, "entry_expired");
      return PT_RUN_EXPIRED;
    }
    return PT_RUN_SEND;
  }

  // An entry not sent (no_margin, entry_expired), so not chased: the pair's target becomes the run's exit position,
  // where the legs are except where the target reduces or closes a leg (an exit never expires), and flat rather
  // than one leg alone: an entry the EA stopped halfway is unwound, a flip still closes the old position.
  void GiveUpEntry(const int pairIndex, const PtConverge &run, const string &alert) {
    m_pairs[pairIndex].target.lotsA = run.m_exit[0];
    m_pairs[pairIndex].target.lotsB = run.m_exit[1];
    m_pairs[pairIndex].target.side = PtSideOfLots(run.m_exit[0]);
    m_pairs[pairIndex].alert = alert;
  }

  // Updates a pair after a convergence run: an abandoned or unwound entry is not chased again.
  void AfterRun(const int pairIndex, const PtConverge &run) {
    string alert = "";
    if (run.m_outcome == PT_OUT_ABANDONED || (run.m_outcome == PT_OUT_NAKED && run.m_unwinding)) {
      m_pairs[pairIndex].target.lotsA = run.m_unwind[0];
      m_pairs[pairIndex].target.lotsB = run.m_unwind[1];
      m_pairs[pairIndex].target.side = PtSideOfLots(run.m_unwind[0]);
    }
    if (run.m_outcome == PT_OUT_ABANDONED) alert = run.m_failed_leg == 1 ? "second_leg_failed" : "entry_failed";
    if (run.m_outcome == PT_OUT_NAKED) alert = "naked_leg";
    if (run.m_outcome == PT_OUT_INCOMPLETE) alert = "incomplete";
    // An entry given up stays reported through a run that adds no exposure (the unwind of a given-up entry, a later
    // exit): pt live reads account.json once a bar and must see it; the pair's next entry run replaces it.
    if (alert == "" && !run.m_entry && GaveUp(m_pairs[pairIndex].alert)) alert = m_pairs[pairIndex].alert;
    m_pairs[pairIndex].alert = alert;
  }

  // The state file's text: what a restart must not forget.
  string Serialize() const {
    string s = "pt-ea-state v1\nseq " + IntegerToString(m_last_seq) + "\n";
    for (int i = 0; i < m_pair_count; i++) {
      if (!m_pairs[i].target.has) continue;
      long expires = m_pairs[i].target.expires_ms;
      s += "target " + m_pairs[i].pair_id + " " + PtSideName(m_pairs[i].target.side) + " " +
           PtNum(m_pairs[i].target.lotsA) + " " + PtNum(m_pairs[i].target.lotsB) + " " + Word(m_pairs[i].target.symA) +
           " " + Word(m_pairs[i].target.symB) + " " + (expires < 0 ? "-" : PtMsToIso(expires)) + "\n";
    }
    for (int k = 0; k < m_seen.m_count; k++) s += "seen " + m_seen.Ordered(k) + "\n";
    return s;
  }

  // Restores Serialize()'s text over the declared pairs (a target of an undeclared pair is dropped).
  // False on any malformed line: the EA then refuses to start rather than forget what it acted on.
  bool Deserialize(const string &text, string &error) {
    int pos = 0;
    int n = StringLen(text);
    int lineNo = 0;
    m_seen.Reset();
    m_last_seq = 0;
    while (pos < n) {
      int end = StringFind(text, "\n", pos);
      if (end < 0) end = n;
      string line = StringSubstr(text, pos, end - pos);
      pos = end + 1;
      lineNo++;
      if (StringLen(line) > 0 && StringGetCharacter(line, StringLen(line) - 1) == 13)
        line = StringSubstr(line, 0, StringLen(line) - 1);
      if (line == "") continue;
      PtFields fields;
      int count = SplitSpaces(line, fields);
      string f0 = fields.f[0];
      if (lineNo == 1) {
        if (line != "pt-ea-state v1") {
          error = "not a v1 state file";
          return false;
        }
        continue;
      }
      if (f0 == "seq" && count == 2) {
        m_last_seq = StringToInteger(fields.f[1]);
      } else if (f0 == "seen" && count == 2 && StringLen(fields.f[1]) == 24) {
        m_seen.Add(fields.f[1]);
      } else if (f0 == "target" && (count == 7 || count == 8) && PtSideFrom(fields.f[2]) >= 0) {
        // 7 fields: a file from before the open's expiry was kept; its target then allows no entry.
        long expires = count == 8 && fields.f[7] != "-" ? PtIsoToMs(fields.f[7]) : -1;
        if (count == 8 && fields.f[7] != "-" && expires < 0) {
          error = "line " + IntegerToString(lineNo) + " has a malformed expiry: " + line;
          return false;
        }
        int i = FindPair(fields.f[1]);
        if (i < 0) continue;
        m_pairs[i].target.has = true;
        m_pairs[i].target.side = PtSideFrom(fields.f[2]);
        m_pairs[i].target.lotsA = StringToDouble(fields.f[3]);
        m_pairs[i].target.lotsB = StringToDouble(fields.f[4]);
        m_pairs[i].target.symA = fields.f[5] == "-" ? "" : fields.f[5];
        m_pairs[i].target.symB = fields.f[6] == "-" ? "" : fields.f[6];
        m_pairs[i].target.expires_ms = expires;
      } else {
        error = "line " + IntegerToString(lineNo) + " is malformed: " + line;
        return false;
      }
    }
    return true;
  }

private:
  void Refuse(const int status, const string &error, PtStepResult &res) {
    res.file_status = status;
    res.error = error;
    res.seq = 0;
    res.count = 0;
    string why = status == PT_FILE_INVALID ? "invalid_file" : "stale_seq";
    for (int i = 0; i < m_pair_count && res.count < PT_MAX_PAIRS; i++) {
      if (!m_pairs[i].target.has) continue;
      res.d[res.count].pair_id = m_pairs[i].pair_id;
      res.d[res.count].act = false;
      res.d[res.count].why = why;
      res.count++;
    }
  }

  string Word(const string &s) const { return s == "" ? "-" : s; }

  // An alert about an entry that was not made (the pair was left, or put back, where it was).
  bool GaveUp(const string &alert) const {
    return alert == "entry_failed" || alert == "second_leg_failed" || alert == "no_margin" || alert == "entry_expired";
  }

  // Splits `line` at single spaces into out.f (at most PT_MAX_FIELDS); returns the count.
  int SplitSpaces(const string &line, PtFields &out) const {
    out.count = 0;
    int pos = 0;
    int n = StringLen(line);
    while (pos <= n && out.count < PT_MAX_FIELDS) {
      int end = StringFind(line, " ", pos);
      if (end < 0) end = n;
      out.f[out.count] = StringSubstr(line, pos, end - pos);
      out.count++;
      pos = end + 1;
    }
    return pos <= n ? PT_MAX_FIELDS + 1 : out.count;
  }

  // One entry: "new" when acted on (the pair's target replaced, the id remembered), else why not.
  string Decide(const PtSignalFile &file, const PtEntry &e, const long nowMs, const PtVolumeTable &volumes) {
    int i = FindPair(e.pair_id);
    if (i < 0) return "no_magic";
    if (m_seen.Contains(e.signal_id)) return "seen";
    if (e.action == PT_ACT_OPEN) {
      if (nowMs >= e.expires_ms) return "expired";
      if (file.global_halt) return "halt";
      if (file.stale) return "stale_file";
    }
    int standing = m_pairs[i].target.has ? m_pairs[i].target.side : PT_SIDE_FLAT;
    if (e.action == PT_ACT_HOLD && e.target_side != PT_SIDE_FLAT && e.target_side != standing) return "hold_no_entry";
    double lotsA = 0;
    double lotsB = 0;
    if (e.target_side != PT_SIDE_FLAT) {
      lotsA = volumes.Round(e.legs[0].broker_symbol, e.legs[0].lots);
      lotsB = volumes.Round(e.legs[1].broker_symbol, e.legs[1].lots);
      if (lotsA < 0 || lotsB < 0) return "unsizable";
      lotsA *= e.legs[0].sign;
      lotsB *= e.legs[1].sign;
    }
    // An open starts the window of its entry; a hold (of the side the pair targets) keeps the window it had,
    // so holds repeated after a missed entry never make it late; a FLAT target allows no entry.
    long expires = m_pairs[i].target.has ? m_pairs[i].target.expires_ms : -1;
    if (e.action == PT_ACT_OPEN) expires = e.expires_ms;
    if (e.target_side == PT_SIDE_FLAT) expires = -1;
    m_pairs[i].target.has = true;
    m_pairs[i].target.expires_ms = expires;
    m_pairs[i].target.side = e.target_side;
    m_pairs[i].target.lotsA = lotsA;
    m_pairs[i].target.lotsB = lotsB;
    // A FLAT target keeps the symbols it had: they are where the positions to close are.
    if (e.target_side != PT_SIDE_FLAT) {
      m_pairs[i].target.symA = e.legs[0].broker_symbol;
      m_pairs[i].target.symB = e.legs[1].broker_symbol;
    }
    m_seen.Add(e.signal_id);
    return "new";
  }
};

#endif
