"""Benchmark the tally engine against pyrankvote; writes `## Tally engine` in docs/performance.md.

    .venv/bin/python bench/tally.py [--quick] [--no-write]

Profiles are synthetic and seeded: each voter ranks between 1 and min(C, 10)
candidates (uniformly), drawn without replacement in proportion to fixed candidate
popularities (u² + 0.05, u uniform), so a few candidates are popular, as in real
elections. One extra row uses full rankings of all 40 candidates (the worst case).

Timed separately, best of several runs (the same rule for every timing, ours and
pyrankvote's: at least 5 runs, more while they total under 0.5 s, at most 200; `gc.collect()`
before each run):
* count: `count(method, grouped, candidates)` on ballots already grouped by ranking
  (validation included), the way the app stores them;
* group: `group_ballots(raw)` turning one tuple per voter into that mapping;
* pyrankvote: its `instant_runoff_voting` / `single_transferable_vote` on the same
  raw ballots (building its Candidate/Ballot objects is not timed). Runs predicted to
  take more than 30 s (from the previous, 10× smaller size) are skipped.
Peak memory is measured with tracemalloc in a separate run of our count.

Where a count is less than 10× faster than pyrankvote, the *floor* of that count is
measured too: the steps any pure-Python count from grouped ballots must take, on the
same data, replaying the same rounds (see `floor`).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from itertools import chain
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from convene.domain.tally import count, group_ballots  # noqa: E402

PYRANKVOTE_LIMIT = 30.0
MINNEAPOLIS = (
    ROOT / "tests/data/elections/irv_minneapolis_2013_mayor/mn_2013_cast_vote_record.csv.gz"
)


def profile(n_ballots: int, n_cands: int, seed: int, full: bool = False) -> tuple[list, list]:
    rng = random.Random(seed)
    cands = [f"Candidate {i:02d}" for i in range(n_cands)]
    weights = [rng.random() ** 2 + 0.05 for _ in cands]
    max_len = n_cands if full else min(n_cands, 10)
    ballots = []
    for _ in range(n_ballots):
        # weighted sampling without replacement (Efraimidis–Spirakis keys)
        keys = sorted(range(n_cands), key=lambda i: -(rng.random() ** (1.0 / weights[i])))
        length = max_len if full else rng.randint(1, max_len)
        ballots.append(tuple(cands[i] for i in keys[:length]))
    return cands, ballots


def best_time(fn, *, min_runs: int = 5, max_runs: int = 200, budget: float = 0.5) -> float:
    """Best of at least ``min_runs`` runs, more while the runs so far took under ``budget``."""
    times: list[float] = []
    while len(times) < min_runs or (len(times) < max_runs and sum(times) < budget):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def peak_memory(fn) -> int:
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def pyrankvote_runner(method: str, cands: list, ballots: list):
    import pyrankvote

    objs = {c: pyrankvote.Candidate(c) for c in cands}
    prv = [pyrankvote.Ballot(ranked_candidates=[objs[c] for c in b]) for b in ballots]
    cand_list = list(objs.values())
    if method == "irv":
        return lambda: pyrankvote.instant_runoff_voting(cand_list, prv)
    return lambda: pyrankvote.single_transferable_vote(cand_list, prv, number_of_seats=3)


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 0.1:
        return f"{seconds * 1000:.2f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def floor(method: str, grouped: dict, cands: list, result) -> dict[str, float]:
    """Time the steps no pure-Python count of ``grouped`` can skip, replaying ``result``.

    * check: read the mapping and check every weight (a positive int: two C passes
      over the weights) and every ranked name (a candidate: ``set.issuperset`` over
      all names, in C);
    * file: one Python step per group, filing it under its first choice, and the
      first round's totals (C sums);
    * move: one Python step per group moved, for the moves this count makes (the same
      piles, moved in the same rounds), with the engine's loop body (find the next
      continuing choice, file the group there), and the sums of the weights moved;
    * bare: a lower bound for any per-group Python loop: the same number of loop
      iterations (one per group filed, one per group moved) doing only a list append.

    ``floor = check + file + move``; ``bound = check + bare``. Neither builds a result
    (rounds, transfers, sentences), which the count must also do.
    """
    keys = list(grouped)
    weights = list(grouped.values())
    running = list(cands)
    weight_of = weights.__getitem__
    # the rounds to replay: who leaves the count, and whose pile moves
    events = []
    for rnd in result.rounds:
        source = None
        if rnd.eliminated:
            source = rnd.eliminated[0]
        elif rnd.transfers:
            source = rnd.transfers[0].source
        events.append(([*rnd.elected, *rnd.eliminated], source))

    def check():
        ks, ws = list(grouped), list(grouped.values())
        if set(map(type, ws)) - {int} or min(ws) <= 0:
            raise ValueError("bad weights")
        if not set(running).issuperset(chain.from_iterable(ks)):
            raise ValueError("unknown names")

    def file():
        piles = {c: [] for c in running}
        place = {c: pile.append for c, pile in piles.items()}
        for g, key in enumerate(keys):
            place[key[0]](g)
        return piles, place, {c: sum(map(weight_of, pile)) for c, pile in piles.items()}

    def move(filed):
        piles, place, _ = filed
        exhausted: list[int] = []
        exhaust = exhausted.append
        piles[None] = exhausted
        pos = [0] * len(keys)
        out: set = set()
        for leaving, source in events:
            out.update(leaving)
            if source is None:
                continue
            sizes = {c: len(p) for c, p in piles.items()}
            for g in piles.pop(source):
                key = keys[g]
                p = pos[g] + 1
                n = len(key)
                while p < n and key[p] in out:
                    p += 1
                if p < n:
                    pos[g] = p
                    place[key[p]](g)
                else:
                    exhaust(g)
            for c, size in sizes.items():
                if c in piles and len(piles[c]) > size:
                    sum(map(weight_of, piles[c][size:]))

    moves = _count_moves(keys, running, events)

    def bare():
        out: list[int] = []
        app = out.append
        for g in range(len(keys)):
            app(g)
        for g in range(moves):
            app(g)

    timed = {"check": best_time(check), "file": best_time(file)}
    times = []
    for _ in range(9):
        filed = file()
        gc.collect()
        t = time.perf_counter()
        move(filed)
        times.append(time.perf_counter() - t)
    timed["move"] = min(times)
    timed["bare"] = best_time(bare)
    timed["floor"] = timed["check"] + timed["file"] + timed["move"]
    timed["bound"] = timed["check"] + timed["bare"]
    timed["moves"] = moves
    timed["rounds"] = len(result.rounds)
    timed["names"] = sum(map(len, keys))
    return timed


def _count_moves(keys: list, running: list, events: list) -> int:
    """How many group moves the replayed rounds make (each moved group counts once per move)."""
    holder = {c: [] for c in running}
    for g, key in enumerate(keys):
        holder[key[0]].append(g)
    pos = [0] * len(keys)
    out: set = set()
    moves = 0
    for leaving, source in events:
        out.update(leaving)
        if source is None:
            continue
        pile = holder.pop(source, [])
        moves += len(pile)
        for g in pile:
            key = keys[g]
            p = pos[g] + 1
            while p < len(key) and key[p] in out:
                p += 1
            if p < len(key):
                pos[g] = p
                holder[key[p]].append(g)
    return moves


def minneapolis_cli(runs: int) -> list[float]:
    cmd = [
        sys.executable,
        "-m",
        "convene",
        "tally",
        str(MINNEAPOLIS),
        "--skip",
        "overvote",
        "--skip",
        "undervote",
        "--skip",
        "UWI",
    ]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="1k and 10k only")
    ap.add_argument("--no-write", action="store_true", help="print, do not edit the docs")
    args = ap.parse_args(argv)
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    cand_counts = [5, 15, 40]
    rows = []
    for n_cands in cand_counts:
        previous_prv: dict[str, float | None] = {}
        for n in sizes:
            cands, raw = profile(n, n_cands, seed=n * 100 + n_cands)
            grouped = group_ballots(raw)
            t_group = best_time(lambda raw=raw: group_ballots(raw))
            for method in ("irv", "stv", "schulze"):
                kwargs = {"seats": 3} if method == "stv" else {}
                run = lambda m=method, g=grouped, c=cands, k=kwargs: count(m, g, c, **k)  # noqa: E731
                t_count = best_time(run)
                mem = peak_memory(run)
                t_prv = None
                note = ""
                if method in ("irv", "stv"):
                    prev = previous_prv.get(method)
                    if prev is not None and prev * 10 > PYRANKVOTE_LIMIT:
                        note = f"skipped (est. {prev * 10:.0f} s)"
                        previous_prv[method] = prev * 10
                    else:
                        fn = pyrankvote_runner(method, cands, raw)
                        t_prv = best_time(fn)
                        previous_prv[method] = t_prv
                        del fn
                else:
                    note = "pyrankvote has no Schulze"
                speedup = f"{t_prv / t_count:.1f}×" if t_prv else ""
                low = None
                if t_prv and t_prv / t_count < 10:
                    low = floor(method, grouped, cands, run())
                rows.append(
                    (
                        method,
                        n,
                        n_cands,
                        len(grouped),
                        t_count,
                        t_group,
                        mem,
                        t_prv,
                        speedup,
                        note,
                        low,
                    )
                )
                print(rows[-1][:9], note, low, flush=True)
    # the worst case: full rankings of 40 candidates
    cands, raw = profile(100_000, 40, seed=4040, full=True)
    grouped = group_ballots(raw)
    full_rows = []
    for method in ("irv", "stv"):
        kwargs = {"seats": 3} if method == "stv" else {}
        run = lambda m=method, g=grouped, c=cands, k=kwargs: count(m, g, c, **k)  # noqa: E731
        t = best_time(run)
        full_rows.append((method, len(grouped), t, peak_memory(run)))
        print("full", full_rows[-1], flush=True)
    cli = minneapolis_cli(7)
    print("minneapolis", cli)
    section = render(rows, full_rows, cli)
    print(section)
    if not args.no_write:
        write_section(ROOT / "docs" / "performance.md", section)
    return 0


def render(rows, full_rows, cli) -> str:
    import platform

    out = ["## Tally engine", ""]
    out.append(
        f"Measured with `python bench/tally.py` on this project's machine (2 cores, shared), "
        f"Python {platform.python_version()}, pyrankvote 2.0.6. Synthetic seeded profiles: "
        "each voter ranks 1 to min(C, 10) candidates, weighted by candidate popularity. "
        "**count** = `count(method, grouped, candidates)` on ballots already grouped by "
        "ranking (validation included); **group** = `group_ballots()` from one tuple per "
        "voter (the same for every method). Every timing, ours and pyrankvote's alike, is "
        "the best of at least 5 runs (more while they total under 0.5 s, at most 200), each after "
        "`gc.collect()`; expect ±10–20% between runs of the whole benchmark on this shared "
        "machine. pyrankvote runs on the same ballots, one object per voter (building them "
        f"is not timed), skipped when its previous size predicts more than "
        f"{PYRANKVOTE_LIMIT:.0f} s. Peak memory: tracemalloc during our count. STV is the "
        "Scottish rule with 3 seats; pyrankvote's STV is its own rule (see "
        "docs/voting-methods.md), so that column compares speed on the same input, not "
        "identical counts."
    )
    out.append("")
    out.append(
        "| method | ballots | candidates | distinct rankings | count | group | peak memory "
        "| pyrankvote | speed-up |"
    )
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for method, n, c, distinct, t_count, t_group, mem, t_prv, speedup, note, _ in rows:
        prv = fmt_s(t_prv) if t_prv else note
        out.append(
            f"| {method} | {n:,} | {c} | {distinct:,} | {fmt_s(t_count)} | {fmt_s(t_group)} "
            f"| {fmt_mb(mem)} | {prv} | {speedup} |"
        )
    out.append("")
    out.extend(goals(rows))
    out.extend(floors(rows))
    out.append("Worst case, 100,000 full rankings of 40 candidates (every ballot distinct):")
    out.append("")
    out.append("| method | distinct rankings | count | peak memory |")
    out.append("|---|---:|---:|---:|")
    for method, distinct, t, mem in full_rows:
        label = "stv (3 seats)" if method == "stv" else method
        out.append(f"| {label} | {distinct:,} | {fmt_s(t)} | {fmt_mb(mem)} |")
    out.append("")
    out.append(
        "Minneapolis 2013 (80,101 cast-vote records, 35 candidates, gzipped CSV), "
        "`python -m convene tally FILE --skip overvote --skip undervote --skip UWI`, "
        f"whole process including interpreter start, {len(cli)} runs: "
        f"min {fmt_s(min(cli))}, median {fmt_s(statistics.median(cli))}, "
        f"max {fmt_s(max(cli))} (hyperfine is not installed here); goal under 1 s: "
        f"{'met' if max(cli) < 1 else '**not met**'}."
    )
    out.append("")
    return "\n".join(out)


def goals(rows) -> list[str]:
    """Say plainly which of issue 3's goals the figures meet."""
    out = []
    big = {r[0]: r[4] for r in rows if r[1] == 100_000 and r[2] == 40}
    if "irv" in big:
        verdict = "met" if big["irv"] < 0.1 else "**not met**"
        out.append(
            f"- Goal IRV on 100,000 ballots × 40 candidates under 0.1 s (counting from "
            f"grouped ballots): {fmt_s(big['irv'])}, {verdict}."
        )
    for method in ("irv", "stv"):
        ratios = [(r[7] / r[4], r[1], r[2]) for r in rows if r[0] == method and r[7]]
        if ratios:
            low = min(ratios)
            short = [f"{n:,}×{c} ({ratio:.1f}×)" for ratio, n, c in ratios if ratio < 10]
            verdict = "met" if not short else "**not met** at " + ", ".join(short)
            out.append(
                f"- Goal {method.upper()} ≥ 10× faster than pyrankvote at every size: lowest "
                f"{low[0]:.1f}× ({low[1]:,} ballots × {low[2]}); {verdict}."
            )
    return [*out, ""] if out else []


def floors(rows) -> list[str]:
    """The floor of every count that is less than 10× faster than pyrankvote, and why."""
    short = [r for r in rows if r[10]]
    if not short:
        return []
    out = [
        "Where the 10× goal is missed, the **floor**: the steps no pure-Python count from "
        "grouped ballots can skip, timed on the same data by `floor()` in bench/tally.py "
        "(best of 5 to 9 runs), replaying the same rounds. **check**: read the mapping, "
        "check every weight (a positive int) and every ranked name (a candidate), each in C "
        "(`set.issuperset` over the names); **file**: one Python step per group filing it "
        "under its first choice, plus the first totals; **move**: one Python step per "
        "group moved, for the moves this count makes, with the engine's own loop body, "
        "plus the sums moved. floor = check + file + move, with no result built (no "
        "rounds, transfers or sentences). **bound** = check + a loop that only appends "
        "once per group filed and once per group moved: what even a trivial loop body "
        "would cost. **budget** = pyrankvote's time ÷ 10.",
        "",
        "| method | ballots × candidates | budget | count | floor | check | file | move "
        "| bound | names | groups | moves |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for method, n, c, distinct, t_count, _, _, t_prv, _, _, f in short:
        out.append(
            f"| {method} | {n:,} × {c} | {fmt_s(t_prv / 10)} | {fmt_s(t_count)} "
            f"| {fmt_s(f['floor'])} | {fmt_s(f['check'])} | {fmt_s(f['file'])} "
            f"| {fmt_s(f['move'])} | {fmt_s(f['bound'])} | {f['names']:,} | {distinct:,} "
            f"| {f['moves']:,} |"
        )
    out.append("")
    over = [r for r in short if r[10]["floor"] > 1.1 * r[7] / 10]
    close = [r for r in short if r[7] / 10 < r[10]["floor"] <= 1.1 * r[7] / 10]
    bound_over = [r for r in short if r[10]["bound"] > r[7] / 10]
    under = [r for r in short if r[10]["floor"] <= r[7] / 10]
    large = [r for r in short if r[1] == 100_000]

    def span(values, unit=""):
        lo, hi = min(values), max(values)
        return f"{lo:.0f}{unit}" if round(lo) == round(hi) else f"{lo:.0f}–{hi:.0f}{unit}"

    def sizes(rs):
        return ", ".join(f"{r[0].upper()} {r[1]:,}×{r[2]}" for r in rs) or "none"

    budget_per_group = [r[7] / 10 / r[3] * 1e9 for r in short]
    per_name = [r[10]["check"] / r[10]["names"] * 1e9 for r in short]
    names_per_group = [r[10]["names"] / r[3] for r in short]
    per_group = [r[10]["file"] / r[3] * 1e9 for r in short]
    moves_per_group = [r[10]["moves"] / r[3] for r in short]

    def per_move(rs):
        return [r[10]["move"] / r[10]["moves"] * 1e9 for r in rs if r[10]["moves"] > 1000]

    mid = per_move([r for r in short if r[1] == 10_000])
    big = per_move([r for r in short if r[1] == 100_000])
    moving = f"{span(per_move(short), ' ns')} a move"
    if mid and big:
        moving = (
            f"{span(mid, ' ns')} a move at 10,000 ballots, {span(big, ' ns')} at 100,000, "
            "where the groups no longer fit in the CPU's caches"
        )
    text = (
        "Why: pyrankvote is plain Python too, so a tenth of its time is little: "
        f"{span(budget_per_group, ' ns')} per distinct ranking (group) for the whole "
        "count at these sizes. The floor per group, measured here: the checks "
        f"({span(per_name, ' ns')} per ranked name, weights included, in C; "
        f"{min(names_per_group):.1f}–{max(names_per_group):.1f} names a group), filing "
        f"it ({span(per_group, ' ns')}) and moving it "
        f"{min(moves_per_group):.1f}–{max(moves_per_group):.1f} times ({moving}; the "
        "engine's loop, with the sums moved). The floor alone exceeds the budget by more "
        f"than 10% at {sizes(over)}"
        + (f", and by less (within this machine's noise) at {sizes(close)}" if close else "")
        + "."
    )
    if large:
        gaps = [(r[4] / r[10]["floor"] - 1) * 100 for r in large]
        text += (
            " At 100,000 ballots our counts take "
            f"{span([max(0.0, g) for g in gaps], '%')} more than their floor: most of "
            "their time is the floor itself."
        )
    if bound_over:
        text += (
            " Even the bound (the checks and a bare append per group filed or moved) "
            f"exceeds the budget at {sizes(bound_over)}."
        )
    if len(bound_over) < len(short):
        text += (
            (
                " Elsewhere the bound fits"
                if bound_over
                else " The bound (the checks and a bare append per group filed or moved) "
                "fits the budget everywhere"
            )
            + ": only a per-group step about as cheap as one list append, with little "
            "left for the rounds, would fit, and no variant measured comes near that "
            "(below)."
        )
    if under:
        extra = [(r[4] - r[10]["floor"]) * 1e6 for r in under]
        text += (
            f" At {sizes(under)} the floor fits the budget, but the result must be built "
            f"on top of it: our count spends {span(extra, ' µs')} beyond the floor "
            "(a Result and its rounds with tallies, transfers and sentences, the quota, "
            "the tie breaker, the bookkeeping), which the budget does not leave."
        )
    out.append(text)
    out.append("")
    out.append(
        "Measured and kept (2026-12, each checked field by field against the frozen "
        "pre-optimisation engine in tests/unit/tally/reference.py): validation and filing "
        "in one step (groups are filed by `key[0]` first; keys are copied to tuples only "
        "when that fails, so no per-key type check), Scottish STV amounts, quota and "
        "first totals in integer C passes and no per-group amounts until the first "
        "surplus, one new value per surplus when all its papers have the same value (1.2× "
        "on 100,000×15 STV), memoised vote values, decimals of Scottish values formatted "
        "without Fraction arithmetic, int fast paths in `fmt`/`plural`, only the shown "
        "transfers worded: 1.1–1.35× (interleaved before/after runs on these profiles). "
        "Measured and rejected: per-group `filter` "
        "iterators (the skip done in C: 1.2–1.8× slower, object creation and scattered "
        "memory; still slower with the garbage collector off); a sentinel at the end of "
        "each ranking (the loop saves 20% but building the keys costs more: 11.5 ms at "
        "100,000×40); one flat list of names with offsets (1.4× slower: every position "
        "is a new int object); summing moved weights inside the loop instead of over the "
        "appended slices, `dict.get` instead of `in` plus a lookup, sorting each pile "
        "before it moves (all within ±5%, the noise); rankings encoded as bytes or str "
        "so that `lstrip`/`translate` skip eliminated candidates in C and equal "
        "remainders merge (translate 80 ns, but encoding costs 300–380 ns per group, "
        "25–30 ms at 100,000 ballots, and 71,883 of the 79,602 groups at 100,000×40 move "
        "at least once, so the first move cannot be merged away); earlier: a lazy trie "
        "over sorted rankings, merging on equal raw suffixes, `map(operator.call, ...)` "
        "filing."
    )
    out.append("")
    return out


def write_section(path: Path, section: str) -> None:
    if path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        text = "# Performance\n\nMeasured figures for Convene's components.\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip() == "## Tally engine"), None)
    if start is None:
        new = text.rstrip("\n") + "\n\n" + section
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        rest = "".join(lines[end:])
        new = "".join(lines[:start]) + section + ("\n" + rest if rest else "")
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
