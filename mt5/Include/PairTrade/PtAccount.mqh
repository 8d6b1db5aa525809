// account.json v1 text (mt5/schemas/account.schema.json), built pair by pair; the EA writes it atomically.
#ifndef PT_ACCOUNT_MQH
#define PT_ACCOUNT_MQH

#include "PtCore.mqh"

// A JSON string literal of s (quotes, backslashes and control characters escaped).
string PtJsonString(const string &s) {
  string out = "\"";
  int n = StringLen(s);
  for (int i = 0; i < n; i++) {
    ushort c = StringGetCharacter(s, i);
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c < 0x20) {
      out += "\\u00";
      out += c < 16 ? "0" : "1";
      out += StringSubstr("0123456789abcdef", c % 16, 1);
    }
    else out += StringSubstr(s, i, 1);
  }
  return out + "\"";
}

class PtAccountWriter {
public:
  string m_text;
  string m_alerts;
  int m_pairs;
  int m_tickets;

  void Begin(const long nowMs, const double equity, const double balance, const double margin) {
    m_text = "{\"schema_version\":\"v1\",\"ts\":\"" + PtMsToIso(nowMs) + "\",\"equity\":" + PtNum(equity) +
             ",\"balance\":" + PtNum(balance) + ",\"margin\":" + PtNum(MathMax(0, margin)) + ",\"positions\":{";
    m_pairs = 0;
    m_alerts = "";
  }

  // Opens a pair's entry; AddTicket for each of its positions, then EndPair.
  void BeginPair(const string &pairId, const int side, const double lotsA, const double lotsB, const double pnlUsd) {
    if (m_pairs > 0) m_text += ",";
    m_text += PtJsonString(pairId) + ":{\"side\":\"" + PtSideName(side) + "\",\"lots_A\":" + PtNum(lotsA) +
              ",\"lots_B\":" + PtNum(lotsB) + ",\"pnl_usd\":" + PtNum(pnlUsd) + ",\"tickets\":[";
    m_pairs++;
    m_tickets = 0;
  }

  void AddTicket(const long ticket) {
    if (m_tickets > 0) m_text += ",";
    m_text += IntegerToString(ticket);
    m_tickets++;
  }

  void EndPair() { m_text += "]}"; }

  // A pair's alert (naked_leg is critical: pt live logs it CRITICAL); after the pairs, before End.
  void AddAlert(const string &pairId, const string &alert, const double lotsA, const double lotsB) {
    if (m_alerts != "") m_alerts += ",";
    m_alerts += "{\"pair_id\":" + PtJsonString(pairId) + ",\"alert\":" + PtJsonString(alert) +
                ",\"critical\":" + (alert == "naked_leg" ? "true" : "false") + ",\"lots_A\":" + PtNum(lotsA) +
                ",\"lots_B\":" + PtNum(lotsB) + "}";
  }

  string End() { return m_text + "}" + (m_alerts == "" ? "" : ",\"alerts\":[" + m_alerts + "]") + "}\n"; }
};

#endif
