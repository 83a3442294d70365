#!/usr/bin/python3
"""Reconciliation benchmark data: N accounts x M months of statements (Lloyds layout, one bulk file with every
account's rows, each account's rows together and in date order), their plans, and an hledger journal of the
same transactions with monthly budgets. Deterministic; invented names.
Usage: generate.py OUT_DIR ACCOUNTS MONTHS [HLEDGER_ACCOUNTS]"""
import datetime
import json
import os
import random
import sys


def main():
    out, n, months = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    hl_n = int(sys.argv[4]) if len(sys.argv) > 4 else n
    os.makedirs(out, exist_ok=True)
    rng = random.Random(11)
    start = datetime.date(2024, 12, 2)
    end = start + datetime.timedelta(days=int(months * 30.44))
    plans = []
    csv = open(os.path.join(out, "statements.csv"), "w")
    header = "Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance\n"
    csv.write(header)
    journal = open(os.path.join(out, "ledger.journal"), "w")
    rows = 0
    for i in range(n):
        ref = f"DP-{i + 1:06d}"
        sort, number = f"50-{i // 100 % 100:02d}-{i % 100:02d}", f"{60000000 + i:08d}"
        budget = rng.choice([21000, 28000, 35000, 42000])
        wages = budget * 7 // 10 // 100 * 100
        plans.append({"account_ref": ref, "person_ref": f"P-{i}", "account_type": "dedicated_bank",
                      "finance_officer": f"officer{i % 20}@council.example", "dp_start": start.isoformat(),
                      "bank": {"sort_code": sort, "account_number": number},
                      "plans": [{"effective_from": start.isoformat(), "weekly_budget": f"{budget // 100}.{budget % 100:02d}",
                                 "council_payment": {"amount": f"{budget * 4 // 100}.00", "every": "4w",
                                                     "first": start.isoformat(), "payer": "COUNCIL DP"},
                                 "lines": [{"category": "pa_wages", "amount": f"{wages // 100}.00", "per": "week", "payees": ["PA WAGES"]},
                                           {"category": "hmrc", "amount": "80.00", "per": "month", "payees": ["HMRC"]}]}]})
        if i < hl_n:
            journal.write(f"~ monthly from {start.replace(day=1).isoformat()}\n    expenses:{ref}:pa_wages  {wages * 52 // 12 / 100:.2f}\n"
                          f"    expenses:{ref}:hmrc  80.00\n    assets:{ref}\n\n")
        def write_days(first, last, out, balance):
            nonlocal rows
            day = first
            while day <= last:
                entries = []
                if (day - start).days % 28 == 0:
                    entries.append(("BGC", "COUNCIL DP PAYMENT", budget * 4))
                if (day - start).days % 7 == 4:
                    entries.append(("FPO", "PA WAGES " + ref, -wages))
                if day.day == 19:
                    entries.append(("DD", "HMRC PAYE", -(6000 + rng.randrange(4000))))
                # Everyday spending most days: about 30 rows a month per account in all, as the issue sizes it.
                if rng.random() < 0.78:
                    entries.append(("DEB", "SHOP " + str(rng.randrange(50)), -rng.randrange(200, 1200)))
                for kind, desc, pence in entries:
                    balance += pence
                    debit = f"{-pence // 100}.{-pence % 100:02d}" if pence < 0 else ""
                    credit = f"{pence // 100}.{pence % 100:02d}" if pence >= 0 else ""
                    sign = "-" if balance < 0 else ""
                    out.write(f"{day.strftime('%d/%m/%Y')},{kind},'{sort},{number},{desc},{debit},{credit},"
                              f"{sign}{abs(balance) // 100}.{abs(balance) % 100:02d}\n")
                    if out is csv and i < hl_n:
                        account = "income:council" if pence >= 0 else ("expenses:" + ref + (":pa_wages" if "WAGES" in desc else ":hmrc" if "HMRC" in desc else ":other"))
                        journal.write(f"{day.isoformat()} {desc}\n    assets:{ref}  {pence / 100:.2f}\n    {account}\n\n")
                    if out is csv:
                        rows += 1
                day += datetime.timedelta(days=1)
            return balance

        balance = write_days(start, end, csv, 0)
        if i == 41:
            # The incremental case: DP-000042's next month, delivered after the bulk load.
            with open(os.path.join(out, "next-statement.csv"), "w") as nxt:
                nxt.write(header)
                write_days(end + datetime.timedelta(days=1), end + datetime.timedelta(days=30), nxt, balance)
    json.dump({"accounts": plans}, open(os.path.join(out, "plans.json"), "w"))
    print(rows)


if __name__ == "__main__":
    main()
