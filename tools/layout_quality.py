#!/usr/bin/env python3
"""Layout quality of tmd's built-in engine over many models, per model and per size.

For each model (those named, else generated ones: ../shared/tools/gen_tmd.py N SEED for
every size and seed asked for), with each tmd binary given, this measures what
../shared/tools/layoutq measures, with its own code (geom, metrics, stability,
edit_model), but over as many seeds as you like and without the other engines:

  crossing pairs   pairs of flows that cross (layoutq's `crossing_pairs`)
  passes           (flow, boundary holding neither end) pairs (`foreign_boundary`)
  add, remove      mean move of the other elements after layoutq's two small edits
                   (a process with two flows added; one flow removed), as a share of
                   the drawing's diagonal (`stability.displacement`)

With --base, a second binary is measured in the same run, and the summary gives both.

  make quality                         # sizes 50,100 seeds 1-10, target/release/tmd
  python3 tools/layout_quality.py --sizes 300 --seeds 1-20 --base /tmp/tmd.old
  python3 tools/layout_quality.py samples/*.tmd

Needs python3 with Pillow (layoutq's text widths) and the shared tools folder
(LAYOUTQ, default ../shared/tools/layoutq beside the project). Writes nothing
in the project: models and drawings go to a temporary folder.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAYOUTQ = os.environ.get("LAYOUTQ", os.path.join(ROOT, "..", "shared", "tools", "layoutq"))
GEN = os.path.join(LAYOUTQ, "..", "gen_tmd.py")
# Over this share of the diagonal, an edit counts as a big move (the bound).
BOUND = 0.05
# layoutq's modules (geom, metrics, stability) are imported where they are used, so
# that a missing folder gets main's message rather than an ImportError.
sys.path.insert(0, LAYOUTQ)


def seeds(text):
    out = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out


def drawn(tmd, path, work, tag):
    """The geometry of `path` as `tmd render` draws it, its export, and the export's file."""
    import geom as G

    text = subprocess.run([tmd, "export", path], capture_output=True, text=True, check=True).stdout
    export = os.path.join(work, tag + ".json")
    with open(export, "w") as fh:
        fh.write(text)
    exp = json.loads(text)
    svg = os.path.join(work, tag + ".svg")
    subprocess.run([tmd, "render", path, "-o", svg], capture_output=True, check=True)
    return G.read_tmd_svg(svg, exp), exp, export


def measure(job):
    """One model with one binary: its figures, or an error line."""
    tmd, model, label = job
    import metrics as M
    import stability as S

    work = tempfile.mkdtemp(prefix="tmd-quality-")
    try:
        g0, exp, export = drawn(tmd, model, work, "base")
        r = M.compute(g0, exp)
        row = {"crossings": r["crossing_pairs"], "passes": r["foreign_boundary"]}
        for op in ("add", "remove"):
            edited = os.path.join(work, op + ".tmd")
            with open(edited, "w") as fh:
                subprocess.run(
                    [sys.executable, os.path.join(LAYOUTQ, "edit_model.py"), op, model, export],
                    stdout=fh, stderr=subprocess.DEVNULL, check=True,
                )
            g1, _, _ = drawn(tmd, edited, work, op)
            d = S.displacement(g0, g1)
            row[op] = d["mean"] if d else float("nan")
        return label, row, None
    except (subprocess.CalledProcessError, OSError, KeyError, ValueError) as e:
        return label, None, f"{type(e).__name__}: {e}"


def size_of(label):
    """The group a model is summarised in: gN for generated ones, else 'given'."""
    head = label.split("s")[0]
    return head if label.startswith("g") and head[1:].isdigit() else "given"


def summary(rows):
    adds = [r["add"] for r in rows if not math.isnan(r["add"])]
    rems = [r["remove"] for r in rows if not math.isnan(r["remove"])]
    moves = adds + rems
    return (
        f"{sum(r['crossings'] for r in rows):>9} {sum(r['passes'] for r in rows):>6} "
        f"{statistics.mean(adds) if adds else 0:>7.3f} {statistics.mean(rems) if rems else 0:>7.3f} "
        f"{sum(m > BOUND for m in adds):>4}+{sum(m > BOUND for m in rems):<3} "
        f"{max(moves) if moves else 0:>6.3f}"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models", nargs="*", help="models to measure (default: generated ones)")
    ap.add_argument("--tmd", default=os.path.join(ROOT, "target", "release", "tmd"))
    ap.add_argument("--base", help="a second tmd binary, measured in the same run")
    ap.add_argument("--sizes", default="50,100", help="generated sizes (default 50,100)")
    ap.add_argument("--seeds", default="1-10", help="generated seeds, e.g. 1-10,23 (default 1-10)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--quiet", action="store_true", help="the summary only")
    a = ap.parse_args()

    for path in (LAYOUTQ, a.tmd) + ((a.base,) if a.base else ()):
        if not os.path.exists(path):
            sys.exit(f"layout_quality: {path} not found (build with cargo build --release; "
                     "LAYOUTQ names the layoutq folder)")
    models = [(os.path.splitext(os.path.basename(m))[0], os.path.abspath(m)) for m in a.models]
    if not models:
        gen_dir = tempfile.mkdtemp(prefix="tmd-quality-models-")
        for n in (int(s) for s in a.sizes.split(",")):
            for s in seeds(a.seeds):
                label = f"g{n}s{s}"
                path = os.path.join(gen_dir, label + ".tmd")
                with open(path, "w") as fh:
                    subprocess.run([sys.executable, GEN, str(n), str(s)], stdout=fh, check=True)
                models.append((label, path))
    bins = [("tmd", a.tmd)] + ([("base", a.base)] if a.base else [])
    jobs = [(b, m, label) for label, m in models for _, b in bins]
    names = [name for _ in models for name, _ in bins]
    results = {}
    with ProcessPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        for (label, row, err), name in zip(pool.map(measure, jobs), names):
            results[(label, name)] = (row, err)
    failed = [(label, name, err) for (label, name), (row, err) in results.items() if row is None]

    head = f"{'':9} {'crossings':>9} {'passes':>6} {'add':>7} {'remove':>7} {'over':>8} {'max':>6}"
    if not a.quiet:
        print(f"{'model':24} " + "   ".join(f"{name:>7}: cross pass   add    rm" for name, _ in bins))
        for label, _ in models:
            cells = []
            for name, _ in bins:
                row, _ = results[(label, name)]
                if row is None:
                    cells.append(f"{'failed':>14}")
                else:
                    cells.append(f"{row['crossings']:>14} {row['passes']:>4} "
                                 f"{row['add']:>5.3f} {row['remove']:>5.3f}")
            print(f"{label:24} " + "   ".join(cells))
        print()
    print("summary: sums of crossing pairs and passes, mean moves, edits over "
          f"{BOUND:.0%} of the diagonal (add+remove), largest move")
    print(head)
    groups = sorted({size_of(label) for label, _ in models}, key=lambda g: (len(g), g))
    for name, _ in bins:
        for g in groups:
            rows = [results[(label, name)][0] for label, _ in models if size_of(label) == g]
            rows = [r for r in rows if r is not None]
            if rows:
                print(f"{name + ' ' + g:9} {summary(rows)}")
    for label, name, err in failed:
        print(f"layout_quality: {label} with {name}: {err}", file=sys.stderr)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
