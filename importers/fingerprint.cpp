#include "dpmon/importers/fingerprint.hpp"

#include <openssl/evp.h>

#include <stdexcept>

#include <algorithm>
#include <charconv>
#include <functional>
#include <iterator>
#include <string_view>

namespace dpmon::importers {
namespace {

}  // namespace

std::string normalise_description(std::string_view text) {
    std::string out;
    append_normalised_description(text, out);
    return out;
}

void append_normalised_description(std::string_view text, std::string& out) {
    const std::size_t start = out.size();
    bool space = false;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = out.size() > start;
            continue;
        }
        if (space) out.push_back(' ');
        space = false;
        out.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c);
    }
}

std::string fingerprint_base(const statement_row& row) {
    std::string out;
    fingerprint_base(row, out);
    return out;
}

void fingerprint_base(const statement_row& row, std::string& out) {
    char digits[24];
    const auto [end, ec] = std::to_chars(std::begin(digits), std::end(digits), row.amount.pence());
    out.assign(digits, end);
    out += '|';
    append_normalised_description(row.description, out);
    out += '|';
    out += row.reference;
    out += '|';
}

struct fingerprint_hasher::state {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~state() { EVP_MD_CTX_free(ctx); }
};

fingerprint_hasher::fingerprint_hasher() : s_(std::make_unique<state>()) {
    if (!s_->ctx) throw std::runtime_error("SHA-256 is not available from OpenSSL");
}

fingerprint_hasher::~fingerprint_hasher() = default;

void fingerprint_hasher::finish(std::string& base, std::uint32_t occurrence) {
    char digits[12];
    const auto [end, ec] = std::to_chars(std::begin(digits), std::end(digits), occurrence);
    base.append(digits, end);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestInit_ex(s_->ctx, EVP_sha256(), nullptr);
    EVP_DigestUpdate(s_->ctx, base.data(), base.size());
    EVP_DigestFinal_ex(s_->ctx, md, &len);
    base.assign(reinterpret_cast<const char*>(md), 16);
}

std::optional<std::uint32_t> occurrence_counter::next(const statement_row& row, const std::string& base,
                                                      std::int64_t account_key) {
    if (!day_ || *day_ != row.date) {
        seen_today_.clear();
        day_ = row.date;
        ++epoch_;
    }
    // Each account's rows must run in one date direction, and a day of its rows must not be interrupted by
    // rows of another day: either would mean a day revisited.
    auto [it, fresh] = accounts_.try_emplace(account_key, account_order{row.date, 0, epoch_});
    account_order& order = it->second;
    if (!fresh) {
        if (row.date == order.last) {
            if (order.epoch != epoch_) return std::nullopt;
        } else {
            const int step = row.date > order.last ? 1 : -1;
            if (order.direction == 0) order.direction = step;
            if (step != order.direction) return std::nullopt;
            order.last = row.date;
        }
        order.epoch = epoch_;
    }
    // One day at a time (within an account's run), so the date need not be part of the key. A file sorted
    // by date across accounts and one sorted by account then date both keep each account-day together.
    const std::uint64_t key = std::hash<std::string_view>{}(base) * 0x9E3779B97F4A7C15ULL ^ static_cast<std::uint64_t>(account_key);
    return ++seen_today_[key];
}

void balance_checker::add(std::int64_t account_key, const statement_row& row) {
    state& s = states_[account_key];
    if (!s.first_date) s.first_date = row.date;
    s.last_date = row.date;
    if (!row.balance) {
        s.last_balance.reset();
        return;
    }
    if (s.last_balance) {
        // Oldest first: this balance = previous balance + this amount.
        const core::money asc = *s.last_balance + row.amount;
        if (asc != *row.balance) {
            if (s.ascending.size() < max_kept) s.ascending.push_back({row.line, row.date, asc, *row.balance});
            ++s.ascending_count;
        }
        // Newest first: previous balance = this balance + previous amount.
        const core::money desc = *row.balance + s.last_amount;
        if (desc != *s.last_balance) {
            if (s.descending.size() < max_kept)
                s.descending.push_back({s.last_line, s.last_row_date, desc, *s.last_balance});
            ++s.descending_count;
        }
    }
    s.last_balance = row.balance;
    s.last_amount = row.amount;
    s.last_line = row.line;
    s.last_row_date = row.date;
}

bool balance_checker::runs_newest_first(std::int64_t account_key) const {
    auto it = states_.find(account_key);
    if (it == states_.end()) return false;
    const state& s = it->second;
    if (s.first_date && s.last_date && *s.first_date != *s.last_date) return *s.first_date > *s.last_date;
    return s.descending_count < s.ascending_count;
}

std::vector<balance_checker::break_found> balance_checker::breaks(std::int64_t account_key) const {
    auto it = states_.find(account_key);
    if (it == states_.end()) return {};
    return runs_newest_first(account_key) ? it->second.descending : it->second.ascending;
}

std::vector<std::int64_t> balance_checker::accounts() const {
    std::vector<std::int64_t> out;
    for (const auto& [k, v] : states_) out.push_back(k);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace dpmon::importers
