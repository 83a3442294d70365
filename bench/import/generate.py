#!/usr/bin/python3
"""Writes benchmark statements in the Lloyds layout: one file of N rows, or many files of N rows each.
Deterministic; invented descriptions. Usage: generate.py OUT_DIR ROWS [FILES]"""
import datetime
import os
import random
import sys

HEADER = ("Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,"
          "Debit Amount,Credit Amount,Balance\n")
PAYEES = ["A PENDLEBURY WAGES", "CAREPAY PAYROLL SERVICES", "HMRC PAYE CUMBERNAULD", "MOBILITY AIDS DIRECT",
          "EMPLOYERS LIABILITY INS CO", "CAREWELL AGENCY", "DAYCENTRE ACTIVITIES", "TAXI SERVICES LTD"]


def write_file(path, rows, start_day, rng, sort="30-91-23", number="12345678"):
    balance = 10_000_000
    with open(path, "w") as f:
        f.write(HEADER)
        per_day = max(rows // 365, 1)
        for i in range(rows):
            day = datetime.date(2024, 1, 1) + datetime.timedelta(days=start_day + i // per_day)
            date = day.strftime("%d/%m/%Y")
            if rng.random() < 0.1:
                pence, desc, kind = rng.randint(50_000, 150_000), "COUNCIL DP PAYMENT", "BGC"
            else:
                pence, desc, kind = -rng.randint(100, 40_000), f"{rng.choice(PAYEES)} {i % 997}", "DEB"
            balance += pence
            debit = f"{-pence // 100}.{-pence % 100:02d}" if pence < 0 else ""
            credit = f"{pence // 100}.{pence % 100:02d}" if pence >= 0 else ""
            sign = "-" if balance < 0 else ""
            f.write(f"{date},{kind},'{sort},{number},{desc},{debit},{credit},{sign}{abs(balance) // 100}.{abs(balance) % 100:02d}\n")


def main():
    out, rows = sys.argv[1], int(sys.argv[2])
    files = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    os.makedirs(out, exist_ok=True)
    rng = random.Random(7)
    if files == 1:
        write_file(os.path.join(out, "big.csv"), rows, 0, rng)
    else:
        for n in range(files):
            # Each file is one account's statement: 1000 accounts, sort code and number from n.
            write_file(os.path.join(out, f"s{n:04d}.csv"), rows, 0, rng, f"40-{n // 100:02d}-{n % 100:02d}",
                       f"{50000000 + n:08d}")


if __name__ == "__main__":
    main()
