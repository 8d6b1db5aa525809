//+------------------------------------------------------------------+
//| PairTradeEA.mq5: converges each pair of a pt shard to the target |
//| its signal.json names. The decisions live in Include/PairTrade   |
//| (compiled and tested with g++ too); this file is the terminal's  |
//| side: files, trade requests, positions, account.json.            |
//+------------------------------------------------------------------+
#property copyright "pt"
#property version "1.00"
#property description "pt pairs trading: polls signal.json in Common Files, trades both legs per pair, writes account.json."

#include <Trade/Trade.mqh>
#include <PairTrade/PtEngine.mqh>
#include <PairTrade/PtConfig.mqh>
#include <PairTrade/PtAccount.mqh>

input string InpSignalFile = "pt\\shard_0\\signal.json";  // signal.json (Common Files)
input string InpStateFile = "pt\\shard_0\\ea_state.txt";  // last seq, seen signal_ids, targets
input string InpPairsFile = "pt\\pairs.csv";              // pair_id,magic
input string InpSymbolsFile = "pt\\symbols.csv";          // symbol,account_symbol (optional)
input string InpSymbolSuffix = "";                        // appended to symbols not in symbols.csv
input string InpAccountFile = "pt\\account.json";         // written for pt live
input string InpFillsFile = "pt\\shard_0\\fills.csv";     // one line per trade request
input int InpTimerSeconds = 1;                            // poll interval
input int InpDeviationPoints = 20;                        // max slippage of market orders
input double InpMarginBuffer = 1.5;                       // free margin must cover this x the margin of an entry's legs
input bool InpAllowNetting = false;                       // start on a netting account (one pair per symbol only)
input bool InpTradeEnabled = true;                        // false: decide, log and write files, send nothing

PtEngine g_engine;
PtSymbolMap g_symbols;
PtVolumeTable g_volumes;
PtConverge g_run;
PtStepResult g_step;
CTrade g_trade;
string g_last_text = "";
string g_last_refusal = "";
datetime g_last_account = 0;
double g_pnl[PT_MAX_PAIRS];
datetime g_last_pnl = 0;

//--- files in the terminals' Common Files folder ---------------------------------------------
bool ReadCommonText(const string path, string &text) {
  ResetLastError();
  int h = FileOpen(path, FILE_READ | FILE_BIN | FILE_COMMON | FILE_SHARE_READ | FILE_SHARE_WRITE);
  if (h == INVALID_HANDLE) return false;
  uchar buf[];
  int size = (int)FileSize(h);
  int n = size > 0 ? (int)FileReadArray(h, buf, 0, size) : 0;
  FileClose(h);
  text = n > 0 ? CharArrayToString(buf, 0, n, CP_UTF8) : "";
  return true;
}

// Writes a temp file, then moves it over `path`: a reader sees the old file or the new one.
bool WriteCommonTextAtomic(const string path, const string text) {
  string tmp = path + ".tmp";
  ResetLastError();
  int h = FileOpen(tmp, FILE_WRITE | FILE_BIN | FILE_COMMON);
  if (h == INVALID_HANDLE) {
    PrintFormat("PairTradeEA: cannot open %s for writing, error %d", tmp, GetLastError());
    return false;
  }
  uchar buf[];
  int n = StringToCharArray(text, buf, 0, WHOLE_ARRAY, CP_UTF8) - 1;  // without the terminating 0
  if (n > 0 && FileWriteArray(h, buf, 0, n) != (uint)n) {
    PrintFormat("PairTradeEA: short write to %s, error %d", tmp, GetLastError());
    FileClose(h);
    return false;
  }
  FileFlush(h);
  FileClose(h);
  if (!FileMove(tmp, FILE_COMMON, path, FILE_COMMON | FILE_REWRITE)) {
    PrintFormat("PairTradeEA: cannot move %s over %s, error %d", tmp, path, GetLastError());
    return false;
  }
  return true;
}

void AppendFill(const string pairId, const long magic, const PtOrder &o, const string symbol, const int retcode,
                const double filled, const double price, const ulong order, const ulong deal) {
  int h = FileOpen(InpFillsFile, FILE_READ | FILE_WRITE | FILE_CSV | FILE_ANSI | FILE_COMMON | FILE_SHARE_READ, ',');
  if (h == INVALID_HANDLE) {
    PrintFormat("PairTradeEA: cannot open fills log %s, error %d", InpFillsFile, GetLastError());
    return;
  }
  if (FileSize(h) == 0)
    FileWrite(h, "time_gmt", "pair_id", "magic", "leg", "symbol", "side", "reduce", "lots", "filled", "price", "order",
              "deal", "retcode");
  FileSeek(h, 0, SEEK_END);
  FileWrite(h, PtMsToIso((long)TimeGMT() * 1000), pairId, IntegerToString(magic), o.leg == 0 ? "A" : "B", symbol,
            o.sign > 0 ? "BUY" : "SELL", o.reduce ? "1" : "0", PtNum(o.lots), PtNum(filled), DoubleToString(price, 8),
            IntegerToString((long)order), IntegerToString((long)deal), IntegerToString(retcode));
  FileClose(h);
}

bool SaveState() { return WriteCommonTextAtomic(InpStateFile, g_engine.Serialize()); }

//--- symbols and positions -------------------------------------------------------------------
string AccountSymbol(const string signalSymbol) { return g_symbols.Resolve(signalSymbol, InpSymbolSuffix); }

// Records SYMBOL_VOLUME_MIN/STEP/MAX of a leg, keyed by the leg's name in signal.json.
bool LoadVolume(const string signalSymbol) {
  string sym = AccountSymbol(signalSymbol);
  if (!SymbolSelect(sym, true)) {
    PrintFormat("PairTradeEA: symbol %s (signal %s) is not in Market Watch, error %d", sym, signalSymbol,
                GetLastError());
    return false;
  }
  double vmin = SymbolInfoDouble(sym, SYMBOL_VOLUME_MIN);
  double vstep = SymbolInfoDouble(sym, SYMBOL_VOLUME_STEP);
  double vmax = SymbolInfoDouble(sym, SYMBOL_VOLUME_MAX);
  return g_volumes.Set(signalSymbol, vmin, vstep, vmax);
}

// Net lots (+ bought, - sold) of `magic` on `symbol`.
double NetLots(const long magic, const string symbol) {
  double net = 0;
  for (int i = PositionsTotal() - 1; i >= 0; i--) {
    ulong ticket = PositionGetTicket(i);
    if (ticket == 0 || PositionGetInteger(POSITION_MAGIC) != magic || PositionGetString(POSITION_SYMBOL) != symbol)
      continue;
    double v = PositionGetDouble(POSITION_VOLUME);
    net += PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY ? v : -v;
  }
  return NormalizeDouble(net, 8);
}

//--- trade requests ----------------------------------------------------------------------------
// Sends one order of a convergence run; returns the retcode and the lots filled.
void Send(const PtPair &p, const string symbol, const PtOrder &o, int &retcode, double &filled) {
  filled = 0;
  retcode = PT_RC_DONE;
  g_trade.SetExpertMagicNumber((ulong)p.magic);
  g_trade.SetTypeFillingBySymbol(symbol);
  string comment = "pt " + p.pair_id;
  if (!o.reduce) {
    ResetLastError();
    bool sent = o.sign > 0 ? g_trade.Buy(o.lots, symbol, 0, 0, 0, comment) : g_trade.Sell(o.lots, symbol, 0, 0, 0, comment);
    retcode = (int)g_trade.ResultRetcode();
    filled = PtFilledRetcode(retcode) ? g_trade.ResultVolume() : 0;
    if (!sent || !PtFilledRetcode(retcode))
      PrintFormat("PairTradeEA: %s %s %s %.2f lots: retcode %d (%s), error %d", p.pair_id, o.sign > 0 ? "BUY" : "SELL",
                  symbol, o.lots, retcode, g_trade.ResultRetcodeDescription(), GetLastError());
    AppendFill(p.pair_id, p.magic, o, symbol, retcode, filled, g_trade.ResultPrice(), g_trade.ResultOrder(),
               g_trade.ResultDeal());
    return;
  }
  // Reduce: close the oldest opposite positions of this magic first (a hedging account keeps them apart).
  ulong tickets[];
  double volumes[];
  int n = 0;
  for (int i = 0; i < PositionsTotal(); i++) {
    ulong ticket = PositionGetTicket(i);
    if (ticket == 0 || PositionGetInteger(POSITION_MAGIC) != p.magic || PositionGetString(POSITION_SYMBOL) != symbol)
      continue;
    bool isBuy = PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY;
    if ((o.sign > 0) == isBuy) continue;  // same direction as the order: nothing to close
    ArrayResize(tickets, n + 1);
    ArrayResize(volumes, n + 1);
    tickets[n] = ticket;
    volumes[n] = PositionGetDouble(POSITION_VOLUME);
    n++;
  }
  double left = o.lots;
  for (int k = 0; k < n && left > 1e-9; k++) {
    double part = MathMin(left, volumes[k]);
    ResetLastError();
    bool sent = part >= volumes[k] - 1e-9 ? g_trade.PositionClose(tickets[k], InpDeviationPoints)
                                           : g_trade.PositionClosePartial(tickets[k], part, InpDeviationPoints);
    retcode = (int)g_trade.ResultRetcode();
    double got = PtFilledRetcode(retcode) ? g_trade.ResultVolume() : 0;
    AppendFill(p.pair_id, p.magic, o, symbol, retcode, got, g_trade.ResultPrice(), g_trade.ResultOrder(),
               g_trade.ResultDeal());
    if (!sent || !PtFilledRetcode(retcode)) {
      PrintFormat("PairTradeEA: %s close %.2f of #%I64u %s: retcode %d (%s), error %d", p.pair_id, part, tickets[k],
                  symbol, retcode, g_trade.ResultRetcodeDescription(), GetLastError());
      break;
    }
    filled += got;
    left -= got;
    if (got < part - 1e-9) break;  // partial: the run asks again for the rest
  }
}

// Free margin for both legs of an entry together (with InpMarginBuffer to spare).
bool MarginFor(const PtPair &p, const string symA, const string symB, const PtConverge &run) {
  double need = 0;
  string syms[2];
  syms[0] = symA;
  syms[1] = symB;
  for (int leg = 0; leg < 2; leg++) {
    double add = MathAbs(run.m_target[leg]) - (PtSign(run.m_target[leg]) == PtSign(run.m_cur[leg]) ? MathAbs(run.m_cur[leg]) : 0);
    if (add <= 0) continue;
    ENUM_ORDER_TYPE type = run.m_target[leg] > 0 ? ORDER_TYPE_BUY : ORDER_TYPE_SELL;
    double price = type == ORDER_TYPE_BUY ? SymbolInfoDouble(syms[leg], SYMBOL_ASK) : SymbolInfoDouble(syms[leg], SYMBOL_BID);
    double margin = 0;
    if (!OrderCalcMargin(type, syms[leg], add, price, margin)) {
      PrintFormat("PairTradeEA: %s OrderCalcMargin %s failed, error %d", p.pair_id, syms[leg], GetLastError());
      return false;
    }
    need += margin;
  }
  double freeMargin = AccountInfoDouble(ACCOUNT_MARGIN_FREE);
  if (need * InpMarginBuffer > freeMargin) {
    PrintFormat("PairTradeEA: %s entry needs margin %.2f (x%.2f) but free margin is %.2f: not entered", p.pair_id, need,
                InpMarginBuffer, freeMargin);
    return false;
  }
  return true;
}

// One convergence run of pair i toward its target.
void Converge(const int i) {
  PtPair p = g_engine.m_pairs[i];
  if (!p.target.has || p.target.symA == "" || p.target.symB == "") return;
  string symA = AccountSymbol(p.target.symA);
  string symB = AccountSymbol(p.target.symB);
  double stepA = SymbolInfoDouble(symA, SYMBOL_VOLUME_STEP);
  double stepB = SymbolInfoDouble(symB, SYMBOL_VOLUME_STEP);
  if (stepA <= 0 || stepB <= 0) return;
  g_run.Begin(NetLots(p.magic, symA), NetLots(p.magic, symB), p.target.lotsA, p.target.lotsB, stepA, stepB);
  // Before InpTradeEnabled: an open that expires while nothing is sent is given up all the same.
  int gate = g_engine.BeforeRun(i, g_run, (long)TimeGMT() * 1000);
  if (gate == PT_RUN_AT_TARGET) return;
  if (gate == PT_RUN_CLEARED) {
    PrintFormat("PairTradeEA: %s %s cleared: legs at the target, A %.2f, B %.2f", p.pair_id, p.alert, g_run.m_cur[0],
                g_run.m_cur[1]);
    SaveState();
    return;
  }
  if (gate == PT_RUN_EXPIRED) {
    PrintFormat("PairTradeEA: ALERT %s entry_expired: its open expired at %s before the entry was made (legs A %.2f, "
                "B %.2f); target now %s %s/%s",
                p.pair_id, p.target.expires_ms < 0 ? "(none on record)" : PtMsToIso(p.target.expires_ms),
                g_run.m_cur[0], g_run.m_cur[1], PtSideName(g_engine.m_pairs[i].target.side),
                PtNum(g_engine.m_pairs[i].target.lotsA), PtNum(g_engine.m_pairs[i].target.lotsB));
    SaveState();
    return;
  }
  if (!InpTradeEnabled) return;
  if (g_run.m_entry && !MarginFor(p, symA, symB, g_run)) {
    // Not chased: the pair keeps what it holds, less the exits the run carried (GiveUpEntry).
    g_engine.GiveUpEntry(i, g_run, "no_margin");
    SaveState();
    return;
  }
  PtOrder o;
  while (g_run.Next(o)) {
    int retcode;
    double filled;
    Send(p, o.leg == 0 ? symA : symB, o, retcode, filled);
    g_run.OnResult(o, retcode, filled);
  }
  string before = g_engine.m_pairs[i].alert;
  g_engine.AfterRun(i, g_run);
  string alert = g_engine.m_pairs[i].alert;
  // One journal line per change: a run retried every timer does not repeat it.
  if (alert == before) {
  } else if (alert == "second_leg_failed" || alert == "entry_failed")
    PrintFormat("PairTradeEA: ALERT %s %s: entry not completed (last retcode %d); legs back at A %.2f, B %.2f",
                p.pair_id, alert, g_run.m_last_retcode, g_run.m_cur[0], g_run.m_cur[1]);
  else if (alert == "naked_leg")
    PrintFormat("PairTradeEA: CRITICAL %s naked leg: A %.2f %s, B %.2f %s (last retcode %d); retried every %d s",
                p.pair_id, g_run.m_cur[0], symA, g_run.m_cur[1], symB, g_run.m_last_retcode, InpTimerSeconds);
  else if (alert == "incomplete")
    PrintFormat("PairTradeEA: %s not at its target yet: A %.2f/%.2f, B %.2f/%.2f (last retcode %d); retried",
                p.pair_id, g_run.m_cur[0], p.target.lotsA, g_run.m_cur[1], p.target.lotsB, g_run.m_last_retcode);
  else if (alert == "" && (before == "naked_leg" || before == "incomplete"))
    PrintFormat("PairTradeEA: %s %s cleared: legs at the target, A %.2f, B %.2f", p.pair_id, before, g_run.m_cur[0],
                g_run.m_cur[1]);
  SaveState();
}

// FLAT target of a pair whose leg symbols are unknown (state from before its first entry): close the magic.
void CloseUnknownLegs(const int i) {
  PtPair p = g_engine.m_pairs[i];
  if (!p.target.has || p.target.side != PT_SIDE_FLAT || (p.target.symA != "" && p.target.symB != "")) return;
  for (int k = PositionsTotal() - 1; k >= 0; k--) {
    ulong ticket = PositionGetTicket(k);
    if (ticket == 0 || PositionGetInteger(POSITION_MAGIC) != p.magic) continue;
    if (!InpTradeEnabled) continue;
    g_trade.SetExpertMagicNumber((ulong)p.magic);
    // As Send: the symbol's filling mode, or a broker without the default one rejects the close.
    g_trade.SetTypeFillingBySymbol(PositionGetString(POSITION_SYMBOL));
    if (!g_trade.PositionClose(ticket, InpDeviationPoints))
      PrintFormat("PairTradeEA: %s close #%I64u: retcode %d, error %d", p.pair_id, ticket, g_trade.ResultRetcode(),
                  GetLastError());
  }
}

//--- signal.json ---------------------------------------------------------------------------------
void PollSignal() {
  string text;
  if (!ReadCommonText(InpSignalFile, text)) return;  // not there yet, or locked by the writer's sync: next timer
  if (text == g_last_text) return;
  g_last_text = text;
  long nowMs = (long)TimeGMT() * 1000;
  if (!g_engine.m_reader.Read(text, g_engine.m_file)) {
    g_engine.ApplyText(text, nowMs, g_volumes, g_step);
    if (g_step.error != g_last_refusal)
      PrintFormat("PairTradeEA: %s ignored (%s); the last good file stays in force", InpSignalFile, g_step.error);
    g_last_refusal = g_step.error;
    return;
  }
  for (int e = 0; e < g_engine.m_file.count; e++)
    for (int leg = 0; leg < g_engine.m_file.entries[e].leg_count; leg++)
      LoadVolume(g_engine.m_file.entries[e].legs[leg].broker_symbol);
  int status = g_engine.ApplyParsed(g_engine.m_file, nowMs, g_volumes, g_step);
  if (status != PT_FILE_ACCEPTED) {
    if (g_step.error != g_last_refusal) PrintFormat("PairTradeEA: %s ignored (%s)", InpSignalFile, g_step.error);
    g_last_refusal = g_step.error;
    return;
  }
  g_last_refusal = "";
  for (int k = 0; k < g_step.count; k++) {
    int i = g_engine.FindPair(g_step.d[k].pair_id);
    string target = i < 0 ? "-"
                          : PtSideName(g_engine.m_pairs[i].target.side) + " " + PtNum(g_engine.m_pairs[i].target.lotsA) +
                                "/" + PtNum(g_engine.m_pairs[i].target.lotsB);
    if (g_step.d[k].why != "seen")
      PrintFormat("PairTradeEA: seq %I64d %s %s %s -> target %s", g_step.seq, g_step.d[k].pair_id,
                  g_step.d[k].act ? "acted" : "not acted", g_step.d[k].why, target);
  }
  SaveState();
}

//--- account.json -------------------------------------------------------------------------------
void UpdatePnl() {
  if (TimeCurrent() - g_last_pnl < 10) return;
  g_last_pnl = TimeCurrent();
  for (int i = 0; i < g_engine.m_pair_count; i++) g_pnl[i] = 0;
  if (!HistorySelect(0, TimeCurrent() + 60)) return;
  for (int d = HistoryDealsTotal() - 1; d >= 0; d--) {
    ulong deal = HistoryDealGetTicket(d);
    if (deal == 0) continue;
    long magic = HistoryDealGetInteger(deal, DEAL_MAGIC);
    for (int i = 0; i < g_engine.m_pair_count; i++)
      if (g_engine.m_pairs[i].magic == magic)
        g_pnl[i] += HistoryDealGetDouble(deal, DEAL_PROFIT) + HistoryDealGetDouble(deal, DEAL_SWAP) +
                    HistoryDealGetDouble(deal, DEAL_COMMISSION) + HistoryDealGetDouble(deal, DEAL_FEE);
  }
}

void WriteAccount() {
  UpdatePnl();
  PtAccountWriter w;
  w.Begin((long)TimeGMT() * 1000, AccountInfoDouble(ACCOUNT_EQUITY), AccountInfoDouble(ACCOUNT_BALANCE),
          AccountInfoDouble(ACCOUNT_MARGIN));
  for (int i = 0; i < g_engine.m_pair_count; i++) {
    PtPair p = g_engine.m_pairs[i];
    string symA = p.target.symA == "" ? "" : AccountSymbol(p.target.symA);
    string symB = p.target.symB == "" ? "" : AccountSymbol(p.target.symB);
    double lotsA = 0, lotsB = 0, floating = 0;
    int count = 0;
    for (int k = 0; k < PositionsTotal(); k++) {
      ulong ticket = PositionGetTicket(k);
      if (ticket == 0 || PositionGetInteger(POSITION_MAGIC) != p.magic) continue;
      count++;
      floating += PositionGetDouble(POSITION_PROFIT) + PositionGetDouble(POSITION_SWAP);
      double v = PositionGetDouble(POSITION_VOLUME) * (PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY ? 1 : -1);
      string s = PositionGetString(POSITION_SYMBOL);
      if (s == symA) lotsA += v;
      else if (s == symB) lotsB += v;
    }
    if (count == 0 && g_pnl[i] == 0) continue;  // a pair left out holds nothing
    w.BeginPair(p.pair_id, PtSideOfLots(lotsA), NormalizeDouble(lotsA, 8), NormalizeDouble(lotsB, 8), g_pnl[i] + floating);
    for (int k = 0; k < PositionsTotal(); k++) {
      ulong ticket = PositionGetTicket(k);
      if (ticket != 0 && PositionGetInteger(POSITION_MAGIC) == p.magic) w.AddTicket((long)ticket);
    }
    w.EndPair();
  }
  // The pairs whose last run left an alert (a naked leg is critical: pt live logs it CRITICAL).
  for (int i = 0; i < g_engine.m_pair_count; i++) {
    PtPair p = g_engine.m_pairs[i];
    if (p.alert == "") continue;
    w.AddAlert(p.pair_id, p.alert, NetLots(p.magic, AccountSymbol(p.target.symA)),
               NetLots(p.magic, AccountSymbol(p.target.symB)));
  }
  WriteCommonTextAtomic(InpAccountFile, w.End());
}

//--- event handlers ------------------------------------------------------------------------------
int OnInit() {
  long mode = AccountInfoInteger(ACCOUNT_MARGIN_MODE);
  if (mode != ACCOUNT_MARGIN_MODE_RETAIL_HEDGING && !InpAllowNetting) {
    Print("PairTradeEA: this is not a hedging account (two pairs may hold one symbol in opposite directions); "
          "refusing to start. Set InpAllowNetting=true only if no two pairs share a symbol.");
    return INIT_FAILED;
  }
  g_engine.Reset();
  g_volumes.Reset();
  g_symbols.Reset();
  string text, error;
  if (!ReadCommonText(InpPairsFile, text)) {
    PrintFormat("PairTradeEA: cannot read %s in Common Files (error %d): it lists pair_id,magic", InpPairsFile,
                GetLastError());
    return INIT_FAILED;
  }
  if (!PtLoadPairs(text, g_engine, error)) {
    PrintFormat("PairTradeEA: %s", error);
    return INIT_FAILED;
  }
  if (FileIsExist(InpSymbolsFile, FILE_COMMON)) {
    if (!ReadCommonText(InpSymbolsFile, text) || !g_symbols.Load(text, error)) {
      PrintFormat("PairTradeEA: %s: %s (error %d)", InpSymbolsFile, error, GetLastError());
      return INIT_FAILED;
    }
  }
  if (FileIsExist(InpStateFile, FILE_COMMON)) {
    if (!ReadCommonText(InpStateFile, text) || !g_engine.Deserialize(text, error)) {
      PrintFormat("PairTradeEA: state file %s unreadable (%s, error %d): refusing to start rather than forget the "
                  "signals already acted on; move it away to start afresh",
                  InpStateFile, error, GetLastError());
      return INIT_FAILED;
    }
  }
  for (int i = 0; i < g_engine.m_pair_count; i++) g_pnl[i] = 0;
  g_trade.SetDeviationInPoints(InpDeviationPoints);
  g_trade.SetAsyncMode(false);
  g_trade.LogLevel(LOG_LEVEL_ERRORS);
  if (!EventSetTimer(MathMax(1, InpTimerSeconds))) {
    PrintFormat("PairTradeEA: EventSetTimer failed, error %d", GetLastError());
    return INIT_FAILED;
  }
  PrintFormat("PairTradeEA: %d pairs, last seq %I64d, %d signal_ids remembered; polling %s every %d s%s",
              g_engine.m_pair_count, g_engine.m_last_seq, g_engine.m_seen.m_count, InpSignalFile, InpTimerSeconds,
              InpTradeEnabled ? "" : " (trading disabled)");
  return INIT_SUCCEEDED;
}

void OnTimer() {
  PollSignal();
  if (TerminalInfoInteger(TERMINAL_TRADE_ALLOWED) && MQLInfoInteger(MQL_TRADE_ALLOWED)) {
    for (int i = 0; i < g_engine.m_pair_count; i++) {
      CloseUnknownLegs(i);
      Converge(i);
    }
  }
  if (TimeCurrent() != g_last_account) {
    g_last_account = TimeCurrent();
    WriteAccount();
  }
}

void OnDeinit(const int reason) {
  EventKillTimer();
  SaveState();
  WriteAccount();
  PrintFormat("PairTradeEA: stopped (reason %d); state saved to %s", reason, InpStateFile);
}
