"""Benchmark the tally engine against pyrankvote; writes `## Tally engine` in docs/performance.md.

    .venv/bin/python bench/tally.py [--quick] [--no-write]

Profiles are synthetic and seeded: each voter ranks between 1 and min(C, 10)
candidates (uniformly), drawn without replacement in proportion to fixed candidate
popularities (u² + 0.05, u uniform), so a few candidates are popular, as in real
elections. One extra row uses full rankings of all 40 candidates (the worst case).

Timed separately, best of several runs:
* count: `count(method, grouped, candidates)` on ballots already grouped by ranking
  (validation included), the way the app stores them;
* group: `group_ballots(raw)` turning one tuple per voter into that mapping;
* pyrankvote: its `instant_runoff_voting` / `single_transferable_vote` on the same
  raw ballots (building its Candidate/Ballot objects is not timed). Runs predicted to
  take more than 30 s (from the previous, 10× smaller size) are skipped.
Peak memory is measured with tracemalloc in a separate run of our count.
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


def best_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
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
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


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
            t_group = best_time(lambda raw=raw: group_ballots(raw), 3)
            for method in ("irv", "stv", "schulze"):
                kwargs = {"seats": 3} if method == "stv" else {}
                run = lambda m=method, g=grouped, c=cands, k=kwargs: count(m, g, c, **k)  # noqa: E731
                t_count = best_time(run, 5 if n <= 10_000 else 3)
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
                        t_prv = best_time(fn, 3)
                        previous_prv[method] = t_prv
                        del fn
                else:
                    note = "pyrankvote has no Schulze"
                speedup = f"{t_prv / t_count:.0f}×" if t_prv else ""
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
                    )
                )
                print(rows[-1][:9], note, flush=True)
    # the worst case: full rankings of 40 candidates
    cands, raw = profile(100_000, 40, seed=4040, full=True)
    grouped = group_ballots(raw)
    full_rows = []
    for method in ("irv", "stv"):
        kwargs = {"seats": 3} if method == "stv" else {}
        run = lambda m=method, g=grouped, c=cands, k=kwargs: count(m, g, c, **k)  # noqa: E731
        t = best_time(run, 3)
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
        f"Measured with `python bench/tally.py` on this project's machine (2 cores), "
        f"Python {platform.python_version()}, pyrankvote 2.0.6. Synthetic seeded profiles: "
        "each voter ranks 1 to min(C, 10) candidates, weighted by candidate popularity. "
        "**count** = `count(method, grouped, candidates)` on ballots already grouped by "
        "ranking (validation included); **group** = `group_ballots()` from one tuple per "
        "voter (the same for every method). Best of 3–5 runs (CPU-contended shared machine: "
        "expect ±30% between runs); pyrankvote best of 3 (before 2026-11 it was best of 1 "
        "from 10k ballots, which flattered the speed-up), on "
        f"the same ballots, skipped when its previous size predicts more than "
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
    for method, n, c, distinct, t_count, t_group, mem, t_prv, speedup, note in rows:
        prv = fmt_s(t_prv) if t_prv else note
        out.append(
            f"| {method} | {n:,} | {c} | {distinct:,} | {fmt_s(t_count)} | {fmt_s(t_group)} "
            f"| {fmt_mb(mem)} | {prv} | {speedup} |"
        )
    out.append("")
    out.extend(goals(rows))
    out.append(
        "Why the ≥10× and IRV < 0.1 s goals are not met in pure Python (2026-11 profile, "
        "100,000 × 40): the count is dominated by moving ballot groups. IRV makes 168,627 "
        "group moves over 38 eliminations (79,602 groups; STV more, as surpluses move the "
        "largest piles), each a handful of bytecodes (~0.5–0.7 µs on this machine), plus "
        "~15 ms validating 516,478 ranked names and ~10 ms filing the groups. Measured and "
        "rejected: per-group `filter` iterators and `map(operator.call, ...)` partitions "
        "(1.5–2× slower: object creation and C-call overhead beat the 3.11 interpreter "
        "loop); a lazy trie over sorted rankings (sorting 80k tuples alone ≈ 100 ms, and "
        "only 1.5× fewer moves: 113,769 distinct prefixes moved); merging groups on equal "
        "remaining suffix (137k moves instead of 169k); encoding rankings as strings for "
        "`str.lstrip` (conversion alone ≈ 40–80 ms). Kept: no per-ballot dict updates "
        "(weights moved are summed per receiving pile afterwards), surplus values computed "
        "for the whole pile in C, cheaper name validation, the lot's RNG seeded only when "
        "a lot is drawn: 0–30% faster, identical results (tests/unit/tally/"
        "test_reference.py checks every field against the previous engine)."
    )
    out.append("")
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
        f"max {fmt_s(max(cli))} (hyperfine is not installed here)."
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
            short = [f"{n:,}×{c}" for ratio, n, c in ratios if ratio < 10]
            verdict = "met" if not short else "**not met** at " + ", ".join(short)
            out.append(
                f"- Goal {method.upper()} ≥ 10× faster than pyrankvote at every size: lowest "
                f"{low[0]:.0f}× ({low[1]:,} ballots × {low[2]}); {verdict}."
            )
    return [*out, ""] if out else []


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
