// The EA's two small config files in Common Files: pairs.csv (pair_id,magic) and symbols.csv
// (signal symbol,account symbol). Lines: fields separated by a comma; blank lines and lines starting
// with # are skipped; spaces around a field are ignored; a byte-order mark before the first line is skipped.
#ifndef PT_CONFIG_MQH
#define PT_CONFIG_MQH

#include "PtCore.mqh"
#include "PtEngine.mqh"

string PtTrim(const string &s) {
  int a = 0;
  int b = StringLen(s);
  while (a < b && (StringGetCharacter(s, a) == ' ' || StringGetCharacter(s, a) == '\t')) a++;
  while (b > a && (StringGetCharacter(s, b - 1) == ' ' || StringGetCharacter(s, b - 1) == '\t' ||
                   StringGetCharacter(s, b - 1) == 13))
    b--;
  return StringSubstr(s, a, b - a);
}

bool PtIsInteger(const string &s) {
  int n = StringLen(s);
  if (n == 0 || n > 18) return false;
  for (int i = 0; i < n; i++)
    if (!PtIsDigit(StringGetCharacter(s, i))) return false;
  return true;
}

// Splits a CSV line at commas into two trimmed fields; false unless it has exactly two.
bool PtTwoFields(const string &line, string &first, string &second) {
  int comma = StringFind(line, ",");
  if (comma < 0 || StringFind(line, ",", comma + 1) >= 0) return false;
  first = PtTrim(StringSubstr(line, 0, comma));
  second = PtTrim(StringSubstr(line, comma + 1));
  return first != "" && second != "";
}

// The length of a byte-order mark at the start of `text` (Notepad's "UTF-8 with BOM"): 1 when the file was decoded
// as UTF-8 (U+FEFF), 3 when its bytes EF BB BF came through one character each (read as ANSI; g++'s byte strings).
int PtBomLength(const string &text) {
  if (StringGetCharacter(text, 0) == 0xFEFF) return 1;
  if (StringGetCharacter(text, 0) == 0xEF && StringGetCharacter(text, 1) == 0xBB && StringGetCharacter(text, 2) == 0xBF)
    return 3;
  return 0;
}

// The next line of `text` from `pos` (advanced past it), without its line break; the first skips a byte-order mark.
bool PtNextLine(const string &text, int &pos, string &line) {
  int n = StringLen(text);
  if (pos == 0) pos = PtBomLength(text);
  if (pos >= n) return false;
  int end = StringFind(text, "\n", pos);
  if (end < 0) end = n;
  line = PtTrim(StringSubstr(text, pos, end - pos));
  pos = end + 1;
  return true;
}

// Declares the pairs of pairs.csv in `engine`. A header line `pair_id,magic` is allowed. False, with
// `error`, on a malformed line, a magic that is not a positive integer, or a pair or magic listed twice.
bool PtLoadPairs(const string &text, PtEngine &engine, string &error) {
  int pos = 0;
  int lineNo = 0;
  string line;
  while (PtNextLine(text, pos, line)) {
    lineNo++;
    if (line == "" || StringGetCharacter(line, 0) == '#') continue;
    string pairId;
    string magic;
    if (!PtTwoFields(line, pairId, magic)) {
      error = "pairs.csv line " + IntegerToString(lineNo) + ": expected pair_id,magic";
      return false;
    }
    if (pairId == "pair_id" && magic == "magic") continue;
    if (!PtIsInteger(magic) || StringToInteger(magic) <= 0) {
      error = "pairs.csv line " + IntegerToString(lineNo) + ": magic must be a positive integer";
      return false;
    }
    if (!engine.AddPair(pairId, StringToInteger(magic))) {
      error = "pairs.csv line " + IntegerToString(lineNo) + ": " + pairId + " or its magic is listed twice (or too many pairs)";
      return false;
    }
  }
  if (engine.m_pair_count == 0) {
    error = "pairs.csv lists no pair";
    return false;
  }
  return true;
}

// signal.json's broker_symbol -> the account's symbol: the symbols.csv entry, else the name plus `suffix`.
class PtSymbolMap {
public:
  int m_count;
  string m_from[PT_MAX_SYMBOLS];
  string m_to[PT_MAX_SYMBOLS];

  void Reset() { m_count = 0; }

  bool Load(const string &text, string &error) {
    m_count = 0;
    int pos = 0;
    int lineNo = 0;
    string line;
    while (PtNextLine(text, pos, line)) {
      lineNo++;
      if (line == "" || StringGetCharacter(line, 0) == '#') continue;
      string from;
      string to;
      if (!PtTwoFields(line, from, to)) {
        error = "symbols.csv line " + IntegerToString(lineNo) + ": expected symbol,account_symbol";
        return false;
      }
      if (from == "symbol" && to == "account_symbol") continue;
      if (m_count >= PT_MAX_SYMBOLS) {
        error = "symbols.csv: more than " + IntegerToString(PT_MAX_SYMBOLS) + " symbols";
        return false;
      }
      m_from[m_count] = from;
      m_to[m_count] = to;
      m_count++;
    }
    return true;
  }

  string Resolve(const string &symbol, const string &suffix) const {
    for (int i = 0; i < m_count; i++)
      if (m_from[i] == symbol) return m_to[i];
    return symbol + suffix;
  }
};

#endif
