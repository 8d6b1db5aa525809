// Runs the EA's include files (mt5/Include/PairTrade) under g++ against a simulated broker.
// Commands on stdin, one per line; one JSON line out per `end`, `round`, `parse` and `account_json`:
//   magic <pair_id> <magic>               declare a pair (pairs.csv)
//   volume <symbol> <min> <step> <max>    a symbol's SYMBOL_VOLUME_MIN/STEP/MAX
//   step <now ISO>                        begin a step; then any of:
//     restart                               save the state, start a new engine from the saved text
//     notrade                               trading is not possible (Algo Trading off): no convergence run
//     account <pair_id> <lots_A> <lots_B>   the broker's lots of the pair before the step
//     broker <pair_id> <A|B> <retcode> <filled>  the answer to the next order of that leg in this step
//     file <path>                           the signal.json text of this step
//   end                                   apply the step and print its line
//   round <lots> <min> <step> <max>       PtRoundLots
//   parse <path>                          PtSignalReader on a file
//   account_json                          a sample account.json from PtAccountWriter
//   pairs_csv <path>                      PtLoadPairs on a file: its pairs and magics, or its error
//   symbols_csv <path> <symbol>...        PtSymbolMap on a file: each symbol resolved (suffix ".s")
//   state_load <path>                     PtEngine::Deserialize of a state file over the declared pairs, then Serialize
#include "mql5shim.h"

#include "PtAccount.mqh"
#include "PtConfig.mqh"
#include "PtEngine.mqh"

#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

struct Scripted {
  std::string pair;
  int leg;
  int retcode;
  double filled;
};

static std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

static std::string q(const std::string &s) { return PtJsonString(s); }

// Engines are large (fixed arrays): keep them off the stack.
static PtEngine engineA, engineB;
static PtEngine *engine = &engineA;
static PtVolumeTable volumes;
static double simA[PT_MAX_PAIRS], simB[PT_MAX_PAIRS];

static void restart() {
  std::string saved = engine->Serialize();
  PtEngine *next = engine == &engineA ? &engineB : &engineA;
  next->Reset();
  for (int i = 0; i < engine->m_pair_count; i++) next->AddPair(engine->m_pairs[i].pair_id, engine->m_pairs[i].magic);
  string error;
  if (!next->Deserialize(saved, error)) {
    std::cerr << "state did not load: " << error << "\n";
    std::exit(2);
  }
  if (next->Serialize() != saved) {
    std::cerr << "state did not round-trip\n";
    std::exit(2);
  }
  engine = next;
}

static double legStep(const std::string &symbol) {
  double s = volumes.Step(symbol);
  return s > 0 ? s : 0.01;
}

static void runStep(int index, long nowMs, bool hasFile, const std::string &text, bool trading,
                    std::vector<Scripted> &script) {
  static PtStepResult res;
  std::string fileStatus = "none";
  res.count = 0;
  res.error = "";
  if (hasFile) {
    int status = engine->ApplyText(text, nowMs, volumes, res);
    fileStatus = status == PT_FILE_ACCEPTED ? "accepted" : status == PT_FILE_INVALID ? "invalid_file" : "stale_seq";
  }
  // Converge every pair that has a target, as the EA does on each timer where trading is possible.
  std::vector<std::string> orders(PT_MAX_PAIRS, "");
  static PtConverge cv;
  for (int i = 0; i < engine->m_pair_count && trading; i++) {
    const PtTarget &t = engine->m_pairs[i].target;
    // As PairTradeEA.mq5's Converge: a target that names no leg symbols yet (FLAT before any entry) is left alone.
    if (!t.has || t.symA == "" || t.symB == "") continue;
    cv.Begin(simA[i], simB[i], t.lotsA, t.lotsB, legStep(t.symA), legStep(t.symB));
    if (engine->BeforeRun(i, cv, nowMs) != PT_RUN_SEND) continue;
    PtOrder o;
    std::string log;
    while (cv.Next(o)) {
      int rc = PT_RC_DONE;
      double filled = o.lots;
      for (size_t k = 0; k < script.size(); k++) {
        if (script[k].pair == engine->m_pairs[i].pair_id && script[k].leg == o.leg) {
          rc = script[k].retcode;
          filled = script[k].filled;
          script.erase(script.begin() + (long)k);
          break;
        }
      }
      cv.OnResult(o, rc, filled);
      if (!log.empty()) log += ",";
      log += std::string("{\"leg\":\"") + (o.leg == 0 ? "A" : "B") + "\",\"side\":\"" + (o.sign > 0 ? "BUY" : "SELL") +
             "\",\"lots\":" + PtNum(o.lots) + ",\"reduce\":" + (o.reduce ? "true" : "false") +
             ",\"retcode\":" + std::to_string(rc) + "}";
    }
    simA[i] = cv.m_cur[0];
    simB[i] = cv.m_cur[1];
    engine->AfterRun(i, cv);
    orders[(size_t)i] = log;
  }
  std::string out = "{\"step\":" + std::to_string(index) + ",\"file\":\"" + fileStatus + "\",\"error\":" + q(res.error) +
                    ",\"pairs\":[";
  for (int k = 0; k < res.count; k++) {
    const PtDecision &d = res.d[k];
    if (k > 0) out += ",";
    out += "{\"pair_id\":" + q(d.pair_id) + ",\"act\":" + (d.act ? "true" : "false") + ",\"why\":" + q(d.why);
    int i = engine->FindPair(d.pair_id);
    if (i < 0 || !engine->m_pairs[i].target.has) {
      out += ",\"target\":null";
    } else {
      const PtTarget &t = engine->m_pairs[i].target;
      out += ",\"target\":{\"side\":\"" + PtSideName(t.side) + "\",\"lots_A\":" + PtNum(t.lotsA) +
             ",\"lots_B\":" + PtNum(t.lotsB) + "}";
    }
    if (i >= 0) {
      out += ",\"lots_after\":{\"A\":" + PtNum(simA[i]) + ",\"B\":" + PtNum(simB[i]) + "}";
      // The pair's alert after the step: what account.json lists.
      const std::string &alert = engine->m_pairs[i].alert;
      out += ",\"alert\":" + (alert.empty() ? std::string("null") : q(alert));
      out += ",\"orders\":[" + orders[(size_t)i] + "]";
    }
    out += "}";
  }
  out += "]}";
  std::cout << out << "\n";
}

int main() {
  engine->Reset();
  volumes.Reset();
  std::string line;
  int stepIndex = 0;
  bool inStep = false;
  long nowMs = 0;
  bool hasFile = false;
  bool trading = true;
  std::string text;
  std::vector<Scripted> script;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string cmd;
    in >> cmd;
    if (cmd.empty()) continue;
    if (cmd == "magic") {
      std::string pair;
      long magic;
      in >> pair >> magic;
      if (!engine->AddPair(pair, magic)) std::cerr << "bad pair " << pair << "\n";
    } else if (cmd == "volume") {
      std::string sym;
      double mn, st, mx;
      in >> sym >> mn >> st >> mx;
      volumes.Set(sym, mn, st, mx);
    } else if (cmd == "step") {
      std::string iso;
      in >> iso;
      nowMs = PtIsoToMs(iso);
      if (nowMs < 0) {
        std::cerr << "bad time " << iso << "\n";
        return 2;
      }
      inStep = true;
      hasFile = false;
      trading = true;
      script.clear();
    } else if (cmd == "restart" && inStep) {
      restart();
    } else if (cmd == "notrade" && inStep) {
      trading = false;
    } else if (cmd == "account" && inStep) {
      std::string pair;
      double a, b;
      in >> pair >> a >> b;
      int i = engine->FindPair(pair);
      if (i >= 0) {
        simA[i] = a;
        simB[i] = b;
      }
    } else if (cmd == "broker" && inStep) {
      Scripted s;
      std::string leg;
      in >> s.pair >> leg >> s.retcode >> s.filled;
      s.leg = leg == "A" ? 0 : 1;
      script.push_back(s);
    } else if (cmd == "file" && inStep) {
      std::string path;
      in >> path;
      text = readFile(path);
      hasFile = true;
    } else if (cmd == "end" && inStep) {
      runStep(stepIndex++, nowMs, hasFile, text, trading, script);
      inStep = false;
    } else if (cmd == "round") {
      double lots, mn, st, mx;
      in >> lots >> mn >> st >> mx;
      double r = PtRoundLots(lots, mn, st, mx);
      std::cout << "{\"round\":" << (r < 0 ? std::string("null") : PtNum(r)) << "}\n";
    } else if (cmd == "parse") {
      std::string path;
      in >> path;
      static PtSignalReader reader;
      static PtSignalFile file;
      bool ok = reader.Read(readFile(path), file);
      std::cout << "{\"valid\":" << (ok ? "true" : "false") << ",\"error\":" << q(reader.m_error)
                << ",\"seq\":" << (ok ? std::to_string(file.seq) : "null")
                << ",\"count\":" << (ok ? std::to_string(file.count) : "null") << "}\n";
    } else if (cmd == "account_json") {
      PtAccountWriter w;
      w.Begin(PtIsoToMs("2026-03-02T14:00:05.250Z"), 100512.37, 100000, 2150.5);
      w.BeginPair("EURUSD_GBPUSD", PT_SIDE_SHORT, -0.37, 0.41, -12.5);
      w.AddTicket(5001);
      w.AddTicket(5002);
      w.EndPair();
      w.BeginPair("XAUUSD_XAGUSD", PT_SIDE_FLAT, 0, 0, 0);
      w.EndPair();
      w.AddAlert("XAUUSD_XAGUSD", "naked_leg", 0.5, 0);
      w.AddAlert("EURUSD_GBPUSD", "entry_expired", -0.37, 0.41);
      std::cout << w.End();
    } else if (cmd == "pairs_csv") {
      std::string path;
      in >> path;
      static PtEngine loaded;
      loaded.Reset();
      string error;
      bool ok = PtLoadPairs(readFile(path), loaded, error);
      std::string pairs;
      for (int i = 0; ok && i < loaded.m_pair_count; i++)
        pairs += std::string(i > 0 ? "," : "") + "[" + q(loaded.m_pairs[i].pair_id) + "," +
                 std::to_string(loaded.m_pairs[i].magic) + "]";
      std::cout << "{\"ok\":" << (ok ? "true" : "false") << ",\"error\":" << q(ok ? "" : error) << ",\"pairs\":["
                << pairs << "]}\n";
    } else if (cmd == "state_load") {
      std::string path;
      in >> path;
      string error;
      bool ok = engine->Deserialize(readFile(path), error);
      std::cout << "{\"ok\":" << (ok ? "true" : "false") << ",\"error\":" << q(ok ? "" : error)
                << ",\"text\":" << q(ok ? engine->Serialize() : "") << "}\n";
    } else if (cmd == "symbols_csv") {
      std::string path, symbol;
      in >> path;
      PtSymbolMap map;
      string error;
      bool ok = map.Load(readFile(path), error);
      std::string resolved;
      while (in >> symbol) resolved += std::string(resolved.empty() ? "" : ",") + q(map.Resolve(symbol, ".s"));
      std::cout << "{\"ok\":" << (ok ? "true" : "false") << ",\"error\":" << q(ok ? "" : error)
                << ",\"resolved\":[" << resolved << "]}\n";
    } else {
      std::cerr << "unknown command: " << line << "\n";
      return 2;
    }
    std::cout.flush();
  }
  return 0;
}
