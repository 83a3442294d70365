#!/usr/bin/python3
"""A statement file of ROWS new rows for bench/http/run.sh (the import /healthz is measured under), in the
layout bench/reconcile/generate.py writes, with the plans of its accounts. The accounts are extra ones, so
every row is new to a database that generator built: generate.py is run for enough accounts, then its
references become DP-9xxxxx (DP-000001 -> DP-900001), its sort codes 51-xx-xx and its account numbers
7xxxxxxx; the file is cut after ROWS rows and the plans keep the accounts it names.
Usage: import_file.py OUT_DIR ROWS MONTHS      (writes OUT_DIR/statements.csv and OUT_DIR/plans.json)"""
import json
import math
import os
import shutil
import subprocess
import sys


def renamed_ref(ref):
    return "DP-9" + ref[4:]  # DP-0xxxxx -> DP-9xxxxx


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    out, rows, months = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    gen = os.path.join(out, "gen")
    os.makedirs(out, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    generator = os.path.join(here, "..", "reconcile", "generate.py")
    # About 30 rows a month per account (the generator's sizing); a tenth more, so the cut falls inside.
    accounts = max(1, math.ceil(rows / (30 * months) * 1.1) + 1)
    if accounts > 99999:
        sys.exit("import_file.py: more than 99,999 accounts needed; give more months")
    made = int(subprocess.run([sys.executable, generator, gen, str(accounts), str(months), "0"],
                              check=True, capture_output=True, text=True).stdout)
    if made < rows:
        sys.exit(f"import_file.py: the generator made {made} rows, fewer than {rows}")
    used = set()
    with open(os.path.join(gen, "statements.csv")) as src, open(os.path.join(out, "statements.csv"), "w") as dst:
        dst.write(src.readline())  # header
        for n, line in enumerate(src):
            if n == rows:
                break
            # date,type,'sort,number,description,debit,credit,balance (no field holds a comma)
            f = line.split(",")
            f[2] = "'51" + f[2][3:]
            f[3] = "7" + f[3][1:]
            f[4] = f[4].replace("DP-0", "DP-9")
            used.add(f[3])
            dst.write(",".join(f))
    plans = json.load(open(os.path.join(gen, "plans.json")))
    kept = []
    for a in plans["accounts"]:
        a["account_ref"] = renamed_ref(a["account_ref"])
        a["person_ref"] = "PX-" + a["person_ref"][2:]
        a["bank"]["sort_code"] = "51" + a["bank"]["sort_code"][2:]
        a["bank"]["account_number"] = "7" + a["bank"]["account_number"][1:]
        for plan in a["plans"]:
            for line in plan["lines"]:
                line["payees"] = [p.replace("DP-0", "DP-9") for p in line["payees"]]
        if a["bank"]["account_number"] in used:
            kept.append(a)
    json.dump({"accounts": kept}, open(os.path.join(out, "plans.json"), "w"))
    shutil.rmtree(gen)
    print(f"{min(rows, made)} {len(kept)}")


if __name__ == "__main__":
    main()
