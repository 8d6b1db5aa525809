// Constants and small helpers of the PairTrade EA logic. Written in the subset of MQL5 that is also C++
// (test/mt5 compiles it with g++): no dynamic arrays, no templates, no std.
#ifndef PT_CORE_MQH
#define PT_CORE_MQH

#define PT_MAX_PAIRS 32
#define PT_MAX_SIGNALS 32
#define PT_MAX_SYMBOLS 64

// Spread sides, as in signal.json.
#define PT_SIDE_FLAT 0
#define PT_SIDE_LONG 1
#define PT_SIDE_SHORT 2

// Actions, as in signal.json.
#define PT_ACT_OPEN 0
#define PT_ACT_CLOSE 1
#define PT_ACT_HOLD 2
#define PT_ACT_FLATTEN 3

// Trade server return codes (MQL5's TRADE_RETCODE_* values, repeated so g++ knows them).
#define PT_RC_PLACED 10008
#define PT_RC_DONE 10009
#define PT_RC_DONE_PARTIAL 10010
#define PT_RC_REQUOTE 10004
#define PT_RC_REJECT 10006
#define PT_RC_TIMEOUT 10012
#define PT_RC_INVALID_VOLUME 10014
#define PT_RC_MARKET_CLOSED 10018
#define PT_RC_NO_MONEY 10019
#define PT_RC_PRICE_CHANGED 10020
#define PT_RC_PRICE_OFF 10021
#define PT_RC_TOO_MANY_REQUESTS 10024
#define PT_RC_LOCKED 10028
#define PT_RC_FROZEN 10029
#define PT_RC_CONNECTION 10031

string PtSideName(const int side) {
  if (side == PT_SIDE_LONG) return "LONG_SPREAD";
  if (side == PT_SIDE_SHORT) return "SHORT_SPREAD";
  return "FLAT";
}

int PtSideFrom(const string &name) {
  if (name == "LONG_SPREAD") return PT_SIDE_LONG;
  if (name == "SHORT_SPREAD") return PT_SIDE_SHORT;
  if (name == "FLAT") return PT_SIDE_FLAT;
  return -1;
}

int PtActionFrom(const string &name) {
  if (name == "open") return PT_ACT_OPEN;
  if (name == "close") return PT_ACT_CLOSE;
  if (name == "hold") return PT_ACT_HOLD;
  if (name == "flatten") return PT_ACT_FLATTEN;
  return -1;
}

// The spread side of signed leg lots: long the spread buys leg A (SPEC 3.1); no leg A is flat.
int PtSideOfLots(const double lotsA) {
  if (lotsA > 0) return PT_SIDE_LONG;
  if (lotsA < 0) return PT_SIDE_SHORT;
  return PT_SIDE_FLAT;
}

bool PtIsDigit(const ushort c) { return c >= '0' && c <= '9'; }
bool PtIsUpperAlnum(const ushort c) { return PtIsDigit(c) || (c >= 'A' && c <= 'Z'); }
bool PtIsLowerHex(const ushort c) { return PtIsDigit(c) || (c >= 'a' && c <= 'f'); }

// The value of `count` digits of s from `at`, or -1 when one is not a digit.
int PtDigits(const string &s, const int at, const int count) {
  int v = 0;
  for (int i = 0; i < count; i++) {
    ushort c = StringGetCharacter(s, at + i);
    if (!PtIsDigit(c)) return -1;
    v = v * 10 + (int)(c - '0');
  }
  return v;
}

// Days from 1970-01-01 to the civil date (proleptic Gregorian), H. Hinnant's algorithm.
long PtDaysFromCivil(const int year, const int month, const int day) {
  int y = month <= 2 ? year - 1 : year;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int mp = month > 2 ? month - 3 : month + 9;
  int doy = (153 * mp + 2) / 5 + day - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (long)era * 146097 + (long)doe - 719468;
}

int PtDaysInMonth(const int year, const int month) {
  if (month == 2) {
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  if (month == 4 || month == 6 || month == 9 || month == 11) return 30;
  return 31;
}

// Milliseconds since 1970 of `YYYY-MM-DDTHH:MM:SS(.f{1,3})?Z` (signal.json's time pattern), or -1 when the
// text does not match it or names no real instant (month 13, 31 April, hour 24).
long PtIsoToMs(const string &s) {
  int n = StringLen(s);
  if (n < 20) return -1;
  if (StringGetCharacter(s, 4) != '-' || StringGetCharacter(s, 7) != '-' || StringGetCharacter(s, 10) != 'T' ||
      StringGetCharacter(s, 13) != ':' || StringGetCharacter(s, 16) != ':')
    return -1;
  int year = PtDigits(s, 0, 4);
  int month = PtDigits(s, 5, 2);
  int day = PtDigits(s, 8, 2);
  int hour = PtDigits(s, 11, 2);
  int minute = PtDigits(s, 14, 2);
  int second = PtDigits(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 59)
    return -1;
  if (day > PtDaysInMonth(year, month)) return -1;
  int ms = 0;
  int pos = 19;
  if (StringGetCharacter(s, pos) == '.') {
    int digits = 0;
    pos++;
    while (pos < n && PtIsDigit(StringGetCharacter(s, pos))) {
      if (digits >= 3) return -1;
      ms = ms * 10 + (int)(StringGetCharacter(s, pos) - '0');
      digits++;
      pos++;
    }
    if (digits == 0) return -1;
    for (int k = digits; k < 3; k++) ms *= 10;
  }
  if (pos != n - 1 || StringGetCharacter(s, pos) != 'Z') return -1;
  long days = PtDaysFromCivil(year, month, day);
  return ((days * 24 + hour) * 60 + minute) * 60000 + (long)second * 1000 + ms;
}

// v in decimal, left-padded with zeros to `width` characters.
string PtPad(const int v, const int width) {
  string s = IntegerToString(v);
  while (StringLen(s) < width) s = "0" + s;
  return s;
}

// A number as the shortest of up to 8 decimals (lots, prices): 0.1, not 0.10000000.
string PtNum(const double v) {
  string s = DoubleToString(v, 8);
  if (StringFind(s, ".") < 0) return s;
  int n = StringLen(s);
  while (n > 0 && StringGetCharacter(s, n - 1) == '0') n--;
  if (n > 0 && StringGetCharacter(s, n - 1) == '.') n--;
  s = StringSubstr(s, 0, n);
  if (s == "-0") s = "0";
  return s;
}

// ISO-8601 UTC with milliseconds (account.json's ts) of a time in ms since 1970.
string PtMsToIso(const long ms) {
  long days = ms / 86400000;
  long rest = ms - days * 86400000;
  if (rest < 0) {
    rest += 86400000;
    days--;
  }
  // civil_from_days (H. Hinnant)
  long z = days + 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  long d = doy - (153 * mp + 2) / 5 + 1;
  long m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) y++;
  return PtPad((int)y, 4) + "-" + PtPad((int)m, 2) + "-" + PtPad((int)d, 2) + "T" + PtPad((int)(rest / 3600000), 2) +
         ":" + PtPad((int)((rest / 60000) % 60), 2) + ":" + PtPad((int)((rest / 1000) % 60), 2) + "." +
         PtPad((int)(rest % 1000), 3) + "Z";
}

#endif
