// The few MQL5 built-ins mt5/Include/PairTrade/*.mqh use, in C++, so g++ compiles those files unchanged.
// Strings are bytes here (UTF-16 units in MQL5): the files only look at ASCII characters.
#ifndef PT_MQL5_SHIM_H
#define PT_MQL5_SHIM_H

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

typedef std::string string;
typedef unsigned char uchar;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long ulong;
typedef long datetime;

inline int StringLen(const string &s) { return (int)s.size(); }

inline string StringSubstr(const string &s, int start, int length = -1) {
  if (start < 0 || start >= (int)s.size()) return "";
  if (length < 0) return s.substr((size_t)start);
  return s.substr((size_t)start, (size_t)length);
}

inline int StringFind(const string &s, const string &what, int start = 0) {
  if (start < 0) start = 0;
  size_t at = s.find(what, (size_t)start);
  return at == string::npos ? -1 : (int)at;
}

inline ushort StringGetCharacter(const string &s, int pos) {
  if (pos < 0 || pos >= (int)s.size()) return 0;
  return (ushort)(uchar)s[(size_t)pos];
}

// MQL5 turns a UTF-16 unit into a one-character string; here: its UTF-8 bytes.
inline string ShortToString(ushort c) {
  string out;
  if (c < 0x80) {
    out += (char)c;
  } else if (c < 0x800) {
    out += (char)(0xC0 | (c >> 6));
    out += (char)(0x80 | (c & 0x3F));
  } else {
    out += (char)(0xE0 | (c >> 12));
    out += (char)(0x80 | ((c >> 6) & 0x3F));
    out += (char)(0x80 | (c & 0x3F));
  }
  return out;
}

inline double StringToDouble(const string &s) { return std::strtod(s.c_str(), nullptr); }
inline long StringToInteger(const string &s) { return std::strtol(s.c_str(), nullptr, 10); }
inline string IntegerToString(long v) { return std::to_string(v); }

inline string DoubleToString(double v, int digits = 8) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

inline double NormalizeDouble(double v, int digits) {
  double scale = std::pow(10.0, digits);
  return std::round(v * scale) / scale;
}

inline double MathAbs(double v) { return std::fabs(v); }
inline double MathRound(double v) { return std::round(v); }
inline double MathFloor(double v) { return std::floor(v); }
inline double MathCeil(double v) { return std::ceil(v); }
inline double MathMax(double a, double b) { return a > b ? a : b; }
inline double MathMin(double a, double b) { return a < b ? a : b; }
inline double MathPow(double a, double b) { return std::pow(a, b); }
inline double MathLog10(double v) { return std::log10(v); }

#endif
