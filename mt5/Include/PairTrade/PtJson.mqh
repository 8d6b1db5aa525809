// A strict JSON parser (RFC 8259) into a flat node table: enough for signal.json, with no third-party include.
// A text that is not exactly one JSON value (a file caught half-written) fails as a whole.
#ifndef PT_JSON_MQH
#define PT_JSON_MQH

#include "PtCore.mqh"

#define PT_JSON_MAX_NODES 2048
#define PT_JSON_MAX_DEPTH 32

#define PT_JNULL 0
#define PT_JBOOL 1
#define PT_JNUM 2
#define PT_JSTR 3
#define PT_JARR 4
#define PT_JOBJ 5

class PtJson {
public:
  int m_count;
  int m_type[PT_JSON_MAX_NODES];
  int m_first[PT_JSON_MAX_NODES]; // first child (arrays, objects), -1 when none
  int m_next[PT_JSON_MAX_NODES];  // next sibling, -1 when last
  int m_size[PT_JSON_MAX_NODES];  // children count
  string m_key[PT_JSON_MAX_NODES];
  string m_str[PT_JSON_MAX_NODES];
  double m_num[PT_JSON_MAX_NODES];
  bool m_bool[PT_JSON_MAX_NODES];
  string m_error;

  string m_text;
  int m_len;
  int m_pos;

  // Parses `text`; the root is node 0. False (and m_error) when it is not one JSON value.
  bool Parse(const string &text) {
    m_text = text;
    m_len = StringLen(text);
    m_pos = 0;
    m_count = 0;
    m_error = "";
    SkipSpace();
    if (ParseValue("", 0) < 0) return false;
    SkipSpace();
    if (m_pos != m_len) return Fail("text after the JSON value");
    return true;
  }

  // The last child of object `obj` named `key` (JSON.parse keeps the last of repeated keys), or -1.
  int Get(const int obj, const string &key) const {
    if (obj < 0 || m_type[obj] != PT_JOBJ) return -1;
    int found = -1;
    for (int c = m_first[obj]; c >= 0; c = m_next[c])
      if (m_key[c] == key) found = c;
    return found;
  }

  // The i-th element of array `arr`, or -1.
  int At(const int arr, const int i) const {
    if (arr < 0 || m_type[arr] != PT_JARR) return -1;
    int k = 0;
    for (int c = m_first[arr]; c >= 0; c = m_next[c]) {
      if (k == i) return c;
      k++;
    }
    return -1;
  }

  // True when every key of object `obj` is one of the `|`-separated names in `allowed` (e.g. "|a|b|").
  bool KeysIn(const int obj, const string &allowed, string &bad) const {
    for (int c = m_first[obj]; c >= 0; c = m_next[c]) {
      if (StringFind(allowed, "|" + m_key[c] + "|") < 0) {
        bad = m_key[c];
        return false;
      }
    }
    return true;
  }

private:
  bool Fail(const string &why) {
    if (m_error == "") m_error = why + " at character " + IntegerToString(m_pos);
    return false;
  }

  void SkipSpace() {
    while (m_pos < m_len) {
      ushort c = StringGetCharacter(m_text, m_pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      m_pos++;
    }
  }

  int NewNode(const int type, const string &key) {
    if (m_count >= PT_JSON_MAX_NODES) {
      Fail("too many JSON values");
      return -1;
    }
    int n = m_count;
    m_count++;
    m_type[n] = type;
    m_first[n] = -1;
    m_next[n] = -1;
    m_size[n] = 0;
    m_key[n] = key;
    m_str[n] = "";
    m_num[n] = 0;
    m_bool[n] = false;
    return n;
  }

  bool Literal(const string &word) {
    int n = StringLen(word);
    if (StringSubstr(m_text, m_pos, n) != word) return Fail("unexpected character");
    m_pos += n;
    return true;
  }

  // Node index of the value at m_pos, or -1.
  int ParseValue(const string &key, const int depth) {
    if (depth > PT_JSON_MAX_DEPTH) {
      Fail("nested too deep");
      return -1;
    }
    if (m_pos >= m_len) {
      Fail("unexpected end");
      return -1;
    }
    ushort c = StringGetCharacter(m_text, m_pos);
    if (c == '{') return ParseObject(key, depth);
    if (c == '[') return ParseArray(key, depth);
    if (c == '"') {
      string s;
      if (!ParseString(s)) return -1;
      int n = NewNode(PT_JSTR, key);
      if (n >= 0) m_str[n] = s;
      return n;
    }
    if (c == 't' || c == 'f') {
      bool v = c == 't';
      if (!Literal(v ? "true" : "false")) return -1;
      int n = NewNode(PT_JBOOL, key);
      if (n >= 0) m_bool[n] = v;
      return n;
    }
    if (c == 'n') {
      if (!Literal("null")) return -1;
      return NewNode(PT_JNULL, key);
    }
    if (c == '-' || PtIsDigit(c)) return ParseNumber(key);
    Fail("unexpected character");
    return -1;
  }

  int ParseNumber(const string &key) {
    int start = m_pos;
    if (StringGetCharacter(m_text, m_pos) == '-') m_pos++;
    ushort c = StringGetCharacter(m_text, m_pos);
    if (c == '0') {
      m_pos++;
    } else if (PtIsDigit(c)) {
      while (PtIsDigit(StringGetCharacter(m_text, m_pos))) m_pos++;
    } else {
      Fail("bad number");
      return -1;
    }
    if (StringGetCharacter(m_text, m_pos) == '.') {
      m_pos++;
      if (!PtIsDigit(StringGetCharacter(m_text, m_pos))) {
        Fail("bad number");
        return -1;
      }
      while (PtIsDigit(StringGetCharacter(m_text, m_pos))) m_pos++;
    }
    c = StringGetCharacter(m_text, m_pos);
    if (c == 'e' || c == 'E') {
      m_pos++;
      c = StringGetCharacter(m_text, m_pos);
      if (c == '+' || c == '-') m_pos++;
      if (!PtIsDigit(StringGetCharacter(m_text, m_pos))) {
        Fail("bad number");
        return -1;
      }
      while (PtIsDigit(StringGetCharacter(m_text, m_pos))) m_pos++;
    }
    int n = NewNode(PT_JNUM, key);
    if (n >= 0) m_num[n] = StringToDouble(StringSubstr(m_text, start, m_pos - start));
    return n;
  }

  int HexValue(const ushort c) const {
    if (c >= '0' && c <= '9') return (int)(c - '0');
    if (c >= 'a' && c <= 'f') return (int)(c - 'a') + 10;
    if (c >= 'A' && c <= 'F') return (int)(c - 'A') + 10;
    return -1;
  }

  bool ParseString(string &out) {
    out = "";
    m_pos++; // the opening quote
    int run = m_pos;
    while (m_pos < m_len) {
      ushort c = StringGetCharacter(m_text, m_pos);
      if (c == '"') {
        out += StringSubstr(m_text, run, m_pos - run);
        m_pos++;
        return true;
      }
      if (c < 0x20) return Fail("control character in a string");
      if (c != '\\') {
        m_pos++;
        continue;
      }
      out += StringSubstr(m_text, run, m_pos - run);
      m_pos++;
      ushort e = StringGetCharacter(m_text, m_pos);
      if (e == '"' || e == '\\' || e == '/') out += ShortToString(e);
      else if (e == 'b') out += ShortToString(8);
      else if (e == 'f') out += ShortToString(12);
      else if (e == 'n') out += ShortToString(10);
      else if (e == 'r') out += ShortToString(13);
      else if (e == 't') out += ShortToString(9);
      else if (e == 'u') {
        int code = 0;
        for (int k = 1; k <= 4; k++) {
          int h = HexValue(StringGetCharacter(m_text, m_pos + k));
          if (h < 0) return Fail("bad \\u escape");
          code = code * 16 + h;
        }
        out += ShortToString((ushort)code);
        m_pos += 4;
      } else
        return Fail("bad escape");
      m_pos++;
      run = m_pos;
    }
    return Fail("unterminated string");
  }

  void Append(const int parent, const int child, int &last) {
    if (last < 0) m_first[parent] = child;
    else m_next[last] = child;
    last = child;
    m_size[parent]++;
  }

  int ParseArray(const string &key, const int depth) {
    int node = NewNode(PT_JARR, key);
    if (node < 0) return -1;
    m_pos++;
    SkipSpace();
    if (StringGetCharacter(m_text, m_pos) == ']') {
      m_pos++;
      return node;
    }
    int last = -1;
    while (true) {
      SkipSpace();
      int child = ParseValue("", depth + 1);
      if (child < 0) return -1;
      Append(node, child, last);
      SkipSpace();
      ushort c = StringGetCharacter(m_text, m_pos);
      if (c == ',') {
        m_pos++;
        continue;
      }
      if (c == ']') {
        m_pos++;
        return node;
      }
      Fail("expected , or ]");
      return -1;
    }
    return -1;
  }

  int ParseObject(const string &key, const int depth) {
    int node = NewNode(PT_JOBJ, key);
    if (node < 0) return -1;
    m_pos++;
    SkipSpace();
    if (StringGetCharacter(m_text, m_pos) == '}') {
      m_pos++;
      return node;
    }
    int last = -1;
    while (true) {
      SkipSpace();
      if (StringGetCharacter(m_text, m_pos) != '"') {
        Fail("expected a key");
        return -1;
      }
      string name;
      if (!ParseString(name)) return -1;
      SkipSpace();
      if (StringGetCharacter(m_text, m_pos) != ':') {
        Fail("expected :");
        return -1;
      }
      m_pos++;
      SkipSpace();
      int child = ParseValue(name, depth + 1);
      if (child < 0) return -1;
      Append(node, child, last);
      SkipSpace();
      ushort c = StringGetCharacter(m_text, m_pos);
      if (c == ',') {
        m_pos++;
        continue;
      }
      if (c == '}') {
        m_pos++;
        return node;
      }
      Fail("expected , or }");
      return -1;
    }
    return -1;
  }
};

#endif
