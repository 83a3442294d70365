#pragma once
// Exactly-once rows across overlapping statements. A row is identified by its account, its date and a
// fingerprint of its amount, normalised description, bank reference and its occurrence number among
// identical rows of the same account and day in the same file; so the same month exported twice gives each transaction once, while two genuine
// identical payments on one day stay two (occurrences 1 and 2).

#include <cstdint>
#include <optional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "dpmon/importers/statement.hpp"

namespace dpmon::importers {

// Upper case, runs of white space as one space, trimmed.
std::string normalise_description(std::string_view text);
// The same, appended to `out` (no allocation when `out` has room: the import's hot path).
void append_normalised_description(std::string_view text, std::string& out);

// "-25000|A PENDLEBURY WAGES|T1|": everything but the date (stored beside it) and the occurrence number
// (occurrence_counter), which the import appends before hashing the whole with SHA-256.
std::string fingerprint_base(const statement_row& row);
// The same, written into `out` (its capacity is reused).
void fingerprint_base(const statement_row& row, std::string& out);

// A row's stored key: the first 16 bytes of the SHA-256 of its fingerprint base and occurrence number. A
// short key keeps the index small and fast, and a collision within one account's day (the only place keys
// are compared) has odds of about 1 in 10^35. Reuses one OpenSSL context (the import's hot path).
class fingerprint_hasher {
public:
    fingerprint_hasher();
    ~fingerprint_hasher();
    fingerprint_hasher(const fingerprint_hasher&) = delete;
    fingerprint_hasher& operator=(const fingerprint_hasher&) = delete;

    // `base` (from fingerprint_base) becomes the key of the row's `occurrence`.
    void finish(std::string& base, std::uint32_t occurrence);

private:
    struct state;
    std::unique_ptr<state> s_;
};

// Counts identical rows as a file streams past. Memory holds one day's rows and a few facts per account
// (bank files are in date order); a file in which an account's rows are not in date order (oldest or
// newest first) is refused, since counting them would need the whole file in memory and a miscount
// would drop a genuine payment.
class occurrence_counter {
public:
    // The occurrence number (1, 2, ...) of the row with this fingerprint_base() on this account, or nullopt
    // when the account's rows are out of date order (its day was already left behind).
    std::optional<std::uint32_t> next(const statement_row& row, const std::string& base, std::int64_t account_key);

private:
    std::optional<core::civil_date> day_;
    // Keyed by a hash of (account, fingerprint_base). A collision only shares a count between two
    // different rows: each still gets a distinct fingerprint (which holds the full text), and the
    // numbering is the same on every import of the file, so nothing is lost or duplicated.
    std::unordered_map<std::uint64_t, std::uint32_t> seen_today_;
    struct account_order {
        core::civil_date last;
        int direction = 0;        // +1 oldest first, -1 newest first, 0 not known yet
        std::uint64_t epoch = 0;  // the run of one day in the file this account was last seen in
    };
    std::uint64_t epoch_ = 0;     // counts changes of day as the file streams past
    std::unordered_map<std::int64_t, account_order> accounts_;  // one entry per account: memory O(accounts)
};

// Checks a file's running balances, for each account, in whichever direction the file runs (oldest or
// newest first). Breaks are kept (the first `max_kept`) and counted.
class balance_checker {
public:
    struct break_found {
        std::size_t line;
        core::civil_date date;
        core::money expected;  // what the previous balance and the amounts imply
        core::money actual;    // what the file says
    };

    void add(std::int64_t account_key, const statement_row& row);

    // The breaks for one account, judged in the direction its rows run.
    std::vector<break_found> breaks(std::int64_t account_key) const;
    // Whether the account's rows run newest first: by their dates, or, when all fall on one day, by which
    // reading the running balances agree with.
    bool runs_newest_first(std::int64_t account_key) const;
    std::vector<std::int64_t> accounts() const;

private:
    struct state {
        std::optional<core::money> last_balance;
        core::money last_amount;
        std::optional<core::civil_date> first_date, last_date;
        std::vector<break_found> ascending, descending;  // breaks if the file runs oldest / newest first
        std::size_t ascending_count = 0, descending_count = 0;
        std::size_t last_line = 0;
        core::civil_date last_row_date;
    };
    std::unordered_map<std::int64_t, state> states_;
    static constexpr std::size_t max_kept = 100;
};

}  // namespace dpmon::importers
