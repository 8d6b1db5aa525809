// signal.json v1 read into fixed structs, checked against mt5/schemas/signal.schema.json (every rule of it,
// plus "each pair once"): a file that breaks any rule is refused whole, as a torn one is.
#ifndef PT_SIGNAL_MQH
#define PT_SIGNAL_MQH

#include "PtCore.mqh"
#include "PtJson.mqh"

struct PtLeg {
  string symbol;
  string broker_symbol;
  int sign; // +1 BUY, -1 SELL
  double lots;
};

struct PtEntry {
  string signal_id;
  string pair_id;
  string bar_ts;
  int action;
  int side;
  int target_side;
  int leg_count;
  PtLeg legs[2];
  long expires_ms; // -1 when null
};

struct PtSignalFile {
  long seq;
  long shard;
  bool global_halt;
  bool stale;
  double leverage_scale;
  string generated_at;
  string model_version;
  int count;
  PtEntry entries[PT_MAX_SIGNALS];
};

class PtSignalReader {
public:
  PtJson m_json;
  string m_error;

  // Parses and checks `text`; false (and m_error naming the first problem) when it is not a valid v1 file.
  bool Read(const string &text, PtSignalFile &out) {
    m_error = "";
    if (!m_json.Parse(text)) return Fail("not JSON: " + m_json.m_error);
    int root = 0;
    if (m_json.m_type[root] != PT_JOBJ) return Fail("not an object");
    string bad;
    if (!m_json.KeysIn(root, "|schema_version|shard|seq|generated_at|model_version|stale|ops|signals|", bad))
      return Fail("unknown key " + bad);
    string version;
    if (!Str(root, "schema_version", version) || version != "v1") return Fail("schema_version is not v1");
    double shard;
    if (!Integer(root, "shard", 0, shard)) return Fail("shard");
    out.shard = (long)shard;
    double seq;
    if (!Integer(root, "seq", 1, seq) || seq > 9007199254740991.0) return Fail("seq");
    out.seq = (long)seq;
    if (!TimeStr(root, "generated_at", out.generated_at)) return Fail("generated_at");
    if (!Str(root, "model_version", out.model_version) || StringLen(out.model_version) < 1)
      return Fail("model_version");
    if (!Bool(root, "stale", out.stale)) return Fail("stale");
    int ops = m_json.Get(root, "ops");
    if (ops < 0 || m_json.m_type[ops] != PT_JOBJ) return Fail("ops");
    if (!m_json.KeysIn(ops, "|global_halt|leverage_scale|", bad)) return Fail("ops: unknown key " + bad);
    if (!Bool(ops, "global_halt", out.global_halt)) return Fail("ops.global_halt");
    if (!Number(ops, "leverage_scale", out.leverage_scale) || out.leverage_scale < 0)
      return Fail("ops.leverage_scale");
    int sigs = m_json.Get(root, "signals");
    if (sigs < 0 || m_json.m_type[sigs] != PT_JARR) return Fail("signals");
    if (m_json.m_size[sigs] > PT_MAX_SIGNALS) return Fail("more than " + IntegerToString(PT_MAX_SIGNALS) + " signals");
    out.count = 0;
    for (int c = m_json.m_first[sigs]; c >= 0; c = m_json.m_next[c]) {
      if (!ReadEntry(c, out.entries[out.count])) return Fail("signals/" + IntegerToString(out.count) + ": " + m_error);
      for (int k = 0; k < out.count; k++)
        if (out.entries[k].pair_id == out.entries[out.count].pair_id)
          return Fail("pair " + out.entries[k].pair_id + " appears twice");
      out.count++;
    }
    return true;
  }

private:
  bool Fail(const string &why) {
    m_error = why;
    return false;
  }

  bool Str(const int obj, const string &key, string &out) {
    int n = m_json.Get(obj, key);
    if (n < 0 || m_json.m_type[n] != PT_JSTR) return false;
    out = m_json.m_str[n];
    return true;
  }

  bool TimeStr(const int obj, const string &key, string &out) {
    return Str(obj, key, out) && PtIsoToMs(out) >= 0;
  }

  bool Bool(const int obj, const string &key, bool &out) {
    int n = m_json.Get(obj, key);
    if (n < 0 || m_json.m_type[n] != PT_JBOOL) return false;
    out = m_json.m_bool[n];
    return true;
  }

  bool Number(const int obj, const string &key, double &out) {
    int n = m_json.Get(obj, key);
    if (n < 0 || m_json.m_type[n] != PT_JNUM) return false;
    out = m_json.m_num[n];
    return true;
  }

  // A number or null (z, beta, scores): only the type is checked.
  bool NumberOrNull(const int obj, const string &key) {
    int n = m_json.Get(obj, key);
    return n >= 0 && (m_json.m_type[n] == PT_JNUM || m_json.m_type[n] == PT_JNULL);
  }

  bool Integer(const int obj, const string &key, const double minimum, double &out) {
    if (!Number(obj, key, out)) return false;
    return out == MathFloor(out) && out >= minimum;
  }

  bool Matches(const string &s, const int kind) {
    // kind 0: ^[0-9a-f]{24}$, 1: ^[A-Z0-9]+_[A-Z0-9]+$, 2: ^[A-Z0-9]+$
    int n = StringLen(s);
    if (kind == 0) {
      if (n != 24) return false;
      for (int i = 0; i < n; i++)
        if (!PtIsLowerHex(StringGetCharacter(s, i))) return false;
      return true;
    }
    int underscores = 0;
    int at = -1;
    for (int i = 0; i < n; i++) {
      ushort c = StringGetCharacter(s, i);
      if (c == '_' && kind == 1) {
        underscores++;
        at = i;
      } else if (!PtIsUpperAlnum(c))
        return false;
    }
    if (kind == 2) return n > 0;
    return underscores == 1 && at > 0 && at < n - 1;
  }

  bool ReadLeg(const int node, PtLeg &leg) {
    if (m_json.m_type[node] != PT_JOBJ) return Fail("leg is not an object");
    string bad;
    if (!m_json.KeysIn(node, "|symbol|broker_symbol|side|lots|", bad)) return Fail("leg: unknown key " + bad);
    if (!Str(node, "symbol", leg.symbol) || !Matches(leg.symbol, 2)) return Fail("leg symbol");
    if (!Str(node, "broker_symbol", leg.broker_symbol) || StringLen(leg.broker_symbol) < 1)
      return Fail("leg broker_symbol");
    string side;
    if (!Str(node, "side", side) || (side != "BUY" && side != "SELL")) return Fail("leg side");
    leg.sign = side == "BUY" ? 1 : -1;
    if (!Number(node, "lots", leg.lots) || !(leg.lots > 0)) return Fail("leg lots");
    return true;
  }

  bool ReadEntry(const int node, PtEntry &e) {
    if (m_json.m_type[node] != PT_JOBJ) return Fail("not an object");
    string bad;
    if (!m_json.KeysIn(node,
                       "|signal_id|pair_id|bar_ts|action|side|target|z|beta|return_prob|risk_score|position_scale|"
                       "reason|expires_at|",
                       bad))
      return Fail("unknown key " + bad);
    if (!Str(node, "signal_id", e.signal_id) || !Matches(e.signal_id, 0)) return Fail("signal_id");
    if (!Str(node, "pair_id", e.pair_id) || !Matches(e.pair_id, 1)) return Fail("pair_id");
    if (!TimeStr(node, "bar_ts", e.bar_ts)) return Fail("bar_ts");
    string text;
    if (!Str(node, "action", text) || PtActionFrom(text) < 0) return Fail("action");
    e.action = PtActionFrom(text);
    if (!Str(node, "side", text) || PtSideFrom(text) < 0) return Fail("side");
    e.side = PtSideFrom(text);
    if (!NumberOrNull(node, "z") || !NumberOrNull(node, "beta") || !NumberOrNull(node, "return_prob") ||
        !NumberOrNull(node, "risk_score"))
      return Fail("z, beta, return_prob or risk_score");
    double scale;
    if (!Number(node, "position_scale", scale) || scale < 0) return Fail("position_scale");
    if (!Str(node, "reason", text)) return Fail("reason");
    int expNode = m_json.Get(node, "expires_at");
    if (expNode < 0) return Fail("expires_at missing");
    if (m_json.m_type[expNode] == PT_JNULL) {
      if (e.action == PT_ACT_OPEN) return Fail("an open without expires_at");
      e.expires_ms = -1;
    } else {
      if (m_json.m_type[expNode] != PT_JSTR) return Fail("expires_at");
      if (e.action != PT_ACT_OPEN) return Fail("expires_at on a non-open");
      e.expires_ms = PtIsoToMs(m_json.m_str[expNode]);
      if (e.expires_ms < 0) return Fail("expires_at");
    }
    int target = m_json.Get(node, "target");
    if (target < 0 || m_json.m_type[target] != PT_JOBJ) return Fail("target");
    if (!m_json.KeysIn(target, "|side|legs|", bad)) return Fail("target: unknown key " + bad);
    if (!Str(target, "side", text) || PtSideFrom(text) < 0) return Fail("target side");
    e.target_side = PtSideFrom(text);
    int legs = m_json.Get(target, "legs");
    if (legs < 0 || m_json.m_type[legs] != PT_JARR) return Fail("target legs");
    e.leg_count = m_json.m_size[legs];
    if (e.target_side == PT_SIDE_FLAT && e.leg_count != 0) return Fail("a FLAT target with legs");
    if (e.target_side != PT_SIDE_FLAT && e.leg_count != 2) return Fail("a target without exactly two legs");
    for (int i = 0; i < e.leg_count; i++)
      if (!ReadLeg(m_json.At(legs, i), e.legs[i])) return false;
    return true;
  }
};

#endif
