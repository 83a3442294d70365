#include "dpmon/app/statement_import.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <iterator>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "dpmon/alerts/masking.hpp"
#include "dpmon/app/bounded_queue.hpp"
#include "dpmon/app/sha256.hpp"
#include "dpmon/importers/csv_statement.hpp"
#include "dpmon/importers/detect.hpp"
#include "dpmon/importers/drop_names.hpp"
#include "dpmon/importers/fingerprint.hpp"
#include "dpmon/importers/ofx.hpp"
#include "dpmon/storage/accounts.hpp"
#include "dpmon/storage/import_store.hpp"

namespace dpmon::daemon {
namespace {

constexpr std::size_t chunk_bytes = 256 * 1024;
constexpr std::size_t max_listed_errors = 200;

// An open file descriptor, closed on scope exit.
class file_handle {
public:
    explicit file_handle(int fd) : fd_(fd) {}
    file_handle(const file_handle&) = delete;
    file_handle& operator=(const file_handle&) = delete;
    file_handle(file_handle&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    file_handle& operator=(file_handle&&) = delete;
    ~file_handle() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

error read_error(const std::filesystem::path& p, std::string_view doing) {
    const int err = errno;
    return make_error(errc::io_error, "cannot " + std::string(doing) + " " + p.string() + ": " + std::strerror(err) +
                                          importers::delivery_permission_hint(err));
}

// Reads the whole file through `fn(chunk)` in fixed-size chunks; memory does not grow with the file.
template <class Fn>
result<void> for_each_chunk(int fd, const std::filesystem::path& p, Fn&& fn) {
    std::vector<char> buf(chunk_bytes);
    if (::lseek(fd, 0, SEEK_SET) < 0) return read_error(p, "read");
    for (;;) {
        const ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return read_error(p, "read");
        }
        if (n == 0) return {};
        if (auto r = fn(std::string_view(buf.data(), static_cast<std::size_t>(n))); !r) return r;
    }
}

result<std::string> sha256_fd(int fd, const std::filesystem::path& p) {
    sha256 digest;
    auto r = for_each_chunk(fd, p, [&](std::string_view chunk) -> result<void> {
        digest.update(chunk);
        return {};
    });
    if (!r) return r.error();
    return digest.hex();
}

// Where statement rows are matched to accounts.
struct account_index {
    struct entry {
        std::int64_t id;
        std::string ref;
    };
    std::map<std::string, entry> by_bank;  // sort code + account number
    std::map<std::string, entry> by_card;
    std::optional<entry> by_file_name;     // the account the file's name begins with

    static result<account_index> load(const storage::database& db, const std::string& file_name) {
        auto accounts = storage::list_accounts(db);
        if (!accounts) return accounts.error();
        account_index idx;
        std::size_t longest = 0;
        for (const auto& a : *accounts) {
            const entry e{a.id, a.account_ref};
            if (!a.sort_code.empty() && !a.account_number.empty()) idx.by_bank[a.sort_code + a.account_number] = e;
            if (!a.card_id.empty()) idx.by_card[a.card_id] = e;
            if (importers::file_name_names_account(file_name, a.account_ref) && a.account_ref.size() > longest) {
                idx.by_file_name = e;
                longest = a.account_ref.size();
            }
        }
        return idx;
    }

    // Why a row matched no account: in full for the rejected file's report and the operator, and safe
    // for the log and the imports list (a masked account number, no sort code).
    struct no_match {
        std::string detail;
        std::string safe;
        auto operator<=>(const no_match&) const = default;
    };

    // The account a row belongs to; `unmatched` says why not otherwise.
    const entry* find(const importers::statement_row& row, no_match& unmatched) const {
        if (!row.sort_code.empty() && !row.account_number.empty()) {
            auto it = by_bank.find(row.sort_code + row.account_number);
            if (it != by_bank.end()) return &it->second;
            const std::string masked = alerts::mask_account_number(row.account_number);
            unmatched = {"no DP account has sort code " + row.sort_code.substr(0, 2) + "-" + row.sort_code.substr(2, 2) +
                             "-" + row.sort_code.substr(4) + " account " + masked,
                         "no DP account has account " + masked};
            return nullptr;
        }
        if (!row.account_id.empty()) {
            auto it = by_card.find(row.account_id);
            if (it != by_card.end()) return &it->second;
            const std::string card = "no DP account has card or sub-account " + alerts::mask_account_number(row.account_id);
            unmatched = {card, card};
            return nullptr;
        }
        if (by_file_name) return &*by_file_name;
        const std::string why = "the rows carry no account identifiers and the file's name does not begin with an "
                                "account reference: name the file after its account, such as DP-000123-march.csv";
        unmatched = {why, why};
        return nullptr;
    }
};

// A row ready to store: matched to its account and fingerprinted.
struct prepared_row {
    std::int64_t account_id = 0;
    importers::statement_row row;
    std::string fingerprint;
};

// Stores prepared rows (or, for a dry run, only looks them up). Runs on the caller's thread, which owns
// the database connection.
struct row_store {
    row_store(storage::database& d, std::optional<storage::import_writer>& w) : db(d), writer(w) {}
    storage::database& db;
    std::optional<storage::import_writer>& writer;  // empty for a dry run
    std::int64_t added = 0;
    std::int64_t duplicates = 0;

    result<void> store(const prepared_row& p) {
        result<bool> fresh = writer ? writer->add_row(p.account_id, p.row, p.fingerprint) : [&]() -> result<bool> {
            auto exists = storage::transaction_exists(db, p.account_id, p.row, p.fingerprint);
            if (!exists) return exists.error();
            return !*exists;
        }();
        if (!fresh) return fresh.error();
        ++(*fresh ? added : duplicates);
        return {};
    }
};

// Everything one file's rows amount to before storage: account matching, occurrence numbers, running
// balances, dates and problems. Pure; in the CSV path it runs on the parsing thread.
struct row_sink {
    row_sink(const account_index& a, const std::string& f)
        : accounts(a), file_name(f) {}
    const account_index& accounts;
    const std::string& file_name;
    // Fills the next slot to store: false stops the reading. The slot's strings keep their capacity
    // from earlier rows, so the hot path allocates almost nothing.
    std::function<prepared_row*()> next_slot;
    std::function<bool()> slot_filled;
    std::int64_t rows = 0;
    importers::occurrence_counter occurrences;
    importers::balance_checker balances;
    std::map<std::int64_t, std::string> seen_accounts;  // id -> ref
    std::set<account_index::no_match> unmatched;
    std::vector<std::string> problems;  // safe to log: no value from the file
    std::vector<std::string> details;   // the same, quoting values: for the rejected file's report
    std::int64_t problem_count = 0;
    std::optional<core::civil_date> first, last;
    std::optional<core::civil_date> first_in_file, last_in_file;  // in file order: which way the file runs
    importers::fingerprint_hasher hasher;
    std::size_t last_row_line = 0;
    std::optional<std::int64_t> last_row_account;

    void problem(std::string text) {
        std::string copy = text;
        problem(std::move(text), std::move(copy));
    }
    void problem(std::string safe, std::string detail) {
        ++problem_count;
        if (problems.size() >= max_listed_errors) return;
        problems.push_back(std::move(safe));
        details.push_back(std::move(detail));
    }
    void problem(const std::string& file, const importers::diagnostic& d) {
        problem(importers::format_diagnostic_safe(file, d), importers::format_diagnostic(file, d));
    }

    // The file's last row, when its line has no line ending: a running balance that does not follow
    // from the previous one there means the file was cut short in that row.
    void check_last_balance(const std::string& file) {
        if (!last_row_account) return;
        for (const auto& b : balances.breaks(*last_row_account)) {
            if (b.line != last_row_line) continue;
            problem(file + ":" + std::to_string(b.line) +
                    ": the last line has no line ending and its balance does not follow from the previous row: "
                    "the file looks cut short; deliver it again whole");
        }
    }

    bool add(const importers::statement_row& row) {
        ++rows;
        last_row_line = row.line;
        last_row_account.reset();
        if (!first_in_file) first_in_file = row.date;
        last_in_file = row.date;
        if (!first || row.date < *first) first = row.date;
        if (!last || row.date > *last) last = row.date;
        account_index::no_match why;
        const account_index::entry* acct = accounts.find(row, why);
        if (!acct) {
            unmatched.insert(why);
            return true;
        }
        seen_accounts.try_emplace(acct->id, acct->ref);
        last_row_account = acct->id;
        prepared_row* slot = next_slot();
        std::string& fp = slot->fingerprint;
        importers::fingerprint_base(row, fp);
        auto occurrence = occurrences.next(row, fp, acct->id);
        if (!occurrence) {
            problem(file_name + ":" + std::to_string(row.line) + ": rows for account " + acct->ref + " on " +
                    core::format_iso_date(row.date) +
                    " are not together in the file; dpmon needs statements in date order");
            return true;
        }
        balances.add(acct->id, row);
        hasher.finish(fp, *occurrence);
        // A file with problems is rejected whole: no point storing more of it.
        if (problem_count > 0 || !unmatched.empty()) return true;
        slot->account_id = acct->id;
        slot->row = row;
        return slot_filled();
    }
};

// A bounded hand-over of row batches from the parsing thread to the storing thread, so parsing and
// SQLite each get a core. At most `capacity` batches wait, which bounds memory whatever the file size.
class batch_pipe {
public:
    // A batch keeps its rows (and their strings' capacity) when it comes back for reuse; `size` says how
    // many are in use.
    struct batch {
        std::vector<prepared_row> rows;
        std::size_t size = 0;
    };
    batch_pipe(std::size_t capacity, std::size_t batch_rows) : queue_(capacity), batch_rows_(batch_rows) {}

    // An empty batch, recycled when one is free.
    batch take_empty() {
        std::lock_guard lock(free_mutex_);
        batch b;
        if (!free_.empty()) {
            b = std::move(free_.back());
            free_.pop_back();
        } else {
            b.rows.resize(batch_rows_);
        }
        b.size = 0;
        return b;
    }
    void recycle(batch&& b) {
        std::lock_guard lock(free_mutex_);
        free_.push_back(std::move(b));
    }
    bool push(batch&& b) { return queue_.push(std::move(b)); }  // false when the consumer has stopped
    // False when the producer has closed the pipe and everything was taken, or the pipe was stopped.
    bool pop(batch& out) {
        auto b = queue_.pop();
        if (!b) return false;
        out = std::move(*b);
        return true;
    }
    void close() { queue_.close(); }
    void stop() { queue_.stop(); }

private:
    bounded_queue<batch> queue_;
    std::size_t batch_rows_;
    std::mutex free_mutex_;
    std::vector<batch> free_;
};

// errc::file_changed when the open file no longer matches the stamp its reader saw.
result<void> check_unchanged(int fd, const std::filesystem::path& file, const import_options& options) {
    if (!options.expect) return {};
    struct stat st {};
    if (::fstat(fd, &st) != 0) return read_error(file, "examine");
    const import_options::stamp now{static_cast<std::int64_t>(st.st_size),
                                    static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
    if (now == *options.expect) return {};
    return make_error(errc::file_changed, file.filename().string() +
                                              " changed while it was read (still being written?); it is read again "
                                              "once it has settled");
}

import_report base_report(const std::filesystem::path& file) {
    import_report r;
    r.file_name = file.filename().string();
    return r;
}

// The imports row for a file as far as `report` knows it.
storage::import_record import_record_of(const import_report& report, std::int64_t size, core::import_status status,
                                        const std::string& now_utc) {
    storage::import_record rec;
    rec.file_name = report.file_name;
    rec.sha256 = report.sha256;
    rec.size_bytes = size;
    rec.profile = report.profile;
    rec.status = core::to_string(status);
    rec.imported_at = now_utc;
    return rec;
}

result<import_report> reject(storage::database& db, import_report report, const import_options& options,
                             std::int64_t size, const std::string& now) {
    report.status = core::import_status::rejected;
    report.added = report.duplicates = 0;
    if (report.error_count == 0) report.error_count = static_cast<std::int64_t>(report.errors.size());
    if (report.details.size() < report.errors.size()) report.details = report.errors;  // nothing quoted
    if (options.dry_run) return report;
    storage::import_record rec = import_record_of(report, size, core::import_status::rejected, now);
    rec.rows = report.rows;
    for (std::size_t i = 0; i < report.errors.size() && i < 5; ++i) rec.error += (i ? "\n" : "") + report.errors[i];
    if (report.errors.size() > 5)
        rec.error += "\n(" + std::to_string(report.error_count - 5) + " more problems)";
    auto id = storage::record_import(db, rec);
    if (!id) return id.error();
    report.import_id = *id;
    return report;
}

// The file as opened for an import: its descriptor, size and first bytes (for choosing the profile).
struct opened_file {
    file_handle fd;
    std::int64_t size = 0;
    std::string head;
};

// Step 1, read: opens the file and checks what it is. A reason to reject lands in `report.errors`.
result<opened_file> open_file(const std::filesystem::path& file, const import_options& options, import_report& report) {
    opened_file f{file_handle(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)), 0, {}};
    if (f.fd.get() < 0) return read_error(file, "open");
    struct stat st {};
    if (::fstat(f.fd.get(), &st) != 0) return read_error(file, "examine");
    f.size = static_cast<std::int64_t>(st.st_size);
    if (auto r = check_unchanged(f.fd.get(), file, options); !r) return r.error();
    if (!S_ISREG(st.st_mode)) {
        report.errors.push_back(report.file_name + ": not a regular file");
    } else if (f.size > options.max_file_bytes) {
        report.errors.push_back(report.file_name + ": " + std::to_string(f.size) + " bytes is over the limit of " +
                                std::to_string(options.max_file_bytes) + " (daemon.max_file_bytes)");
    }
    if (!report.errors.empty()) return result<opened_file>(std::move(f));
    auto sha = sha256_fd(f.fd.get(), file);
    if (!sha) return sha.error();
    report.sha256 = *sha;
    f.head.assign(64 * 1024, '\0');
    const ssize_t got = ::pread(f.fd.get(), f.head.data(), f.head.size(), 0);
    if (got < 0) return read_error(file, "read");
    f.head.resize(static_cast<std::size_t>(got));
    return result<opened_file>(std::move(f));
}

// Step 2, parse (its layout): the profile named, or chosen from the name and the first bytes. nullptr,
// with the reason in `report`, when none fits.
result<const importers::profile*> profile_for(const std::vector<importers::profile>& profiles,
                                              const import_options& options, const std::string& head,
                                              import_report& report) {
    if (!options.profile_name.empty()) {
        for (const auto& p : profiles) {
            if (p.name == options.profile_name) return &p;
        }
        std::string names;
        for (const auto& p : profiles) names += (names.empty() ? "" : ", ") + p.name;
        return make_error(errc::invalid_argument, "no profile named '" + options.profile_name + "'; known profiles: " + names);
    }
    auto chosen = importers::choose_profile(report.file_name, head, profiles);
    if (chosen) return *chosen;
    report.errors.push_back(report.file_name + ": " + chosen.error().message);
    report.details.push_back(report.errors.back() + " (the file's first line is '" + importers::first_line(head) + "')");
    return nullptr;
}

// Step 4, store: the import's transaction (none for a dry run).
result<std::optional<storage::import_writer>> begin_import(storage::database& db, const import_report& report,
                                                           std::int64_t size, const import_options& options,
                                                           const std::string& now_utc) {
    if (options.dry_run) return std::optional<storage::import_writer>();
    const storage::import_record header = import_record_of(report, size, core::import_status::imported, now_utc);
    auto w = storage::import_writer::begin(db, header);
    if (!w) return w.error();
    return std::optional<storage::import_writer>(std::move(*w));
}

// Step 3, parse and match, for OFX: the whole text (small files), decoded, parsed, each row matched and stored.
result<void> read_ofx_rows(int fd, const std::filesystem::path& file, std::int64_t size, const import_options& options,
                           row_sink& sink, row_store& storage_side) {
    const std::string& file_name = sink.file_name;
    std::optional<error> fatal;
    prepared_row one;
    sink.next_slot = [&] { return &one; };
    sink.slot_filled = [&] {
        if (auto r = storage_side.store(one); !r) {
            fatal = r.error();
            return false;
        }
        return true;
    };
    std::string bytes;
    if (auto r = for_each_chunk(fd, file, [&](std::string_view c) -> result<void> {
            bytes.append(c);
            return {};
        });
        !r)
        return r.error();
    // OFX 1.x files are often Windows-1252 (CHARSET:1252); use that when the bytes are not UTF-8.
    std::string text;
    importers::text_decoder utf8(importers::text_encoding::utf8);
    if (!utf8.decode(bytes, text) || !utf8.finish()) {
        text.clear();
        importers::text_decoder cp1252(importers::text_encoding::windows_1252);
        (void)cp1252.decode(bytes, text);
    }
    const importers::ofx_result parsed = importers::parse_ofx(text);
    for (const auto& d : parsed.diagnostics) sink.problem(file_name, d);
    if (parsed.diagnostics.empty() && parsed.statements.empty())
        sink.problem(file_name + ": the OFX file holds no bank or card statement");
    for (const auto& s : parsed.statements) {
        for (const auto& row : importers::to_statement_rows(s)) {
            if (!sink.add(row)) break;
        }
    }
    if (options.progress) options.progress(static_cast<std::uint64_t>(size), static_cast<std::uint64_t>(size));
    if (fatal) return *fatal;
    return {};
}

// Step 3, parse and match, for CSV: this thread stores while a second one reads and parses; batches of
// rows pass between them.
result<void> read_csv_rows(int fd, const std::filesystem::path& file, std::int64_t size, const importers::profile& profile,
                           const import_options& options, row_sink& sink, row_store& storage_side) {
    const std::string& file_name = sink.file_name;
    std::optional<error> fatal;
    // CSV: this thread stores while a second one reads and parses; batches of rows pass between them.
    constexpr std::size_t batch_rows = 2048;
    batch_pipe pipe(4, batch_rows);
    batch_pipe::batch current = pipe.take_empty();
    sink.next_slot = [&] { return &current.rows[current.size]; };
    sink.slot_filled = [&] {
        if (++current.size < current.rows.size()) return true;
        const bool go_on = pipe.push(std::move(current));
        current = pipe.take_empty();
        return go_on;
    };
    std::optional<error> parse_error;
    importers::csv_statement_parser parser(profile, max_listed_errors);
    std::thread producer([&] {
        std::uint64_t done = 0;
        auto on_row = [&](const importers::statement_row& row) { return sink.add(row); };
        auto r = for_each_chunk(fd, file, [&](std::string_view chunk) -> result<void> {
            if (options.cancelled && options.cancelled()) {
                return make_error(errc::cancelled, "the import of " + file_name + " was stopped");
            }
            done += chunk.size();
            auto fed = parser.feed(chunk, on_row);
            if (options.progress) options.progress(done, static_cast<std::uint64_t>(size));
            return fed;
        });
        if (r) r = parser.finish(on_row);
        if (r && current.size > 0) pipe.push(std::move(current));
        if (!r) parse_error = r.error();
        pipe.close();
    });
    batch_pipe::batch b;
    while (pipe.pop(b)) {
        for (std::size_t i = 0; i < b.size; ++i) {
            if (auto r = storage_side.store(b.rows[i]); !r) {
                fatal = r.error();
                break;
            }
        }
        if (fatal) break;
        pipe.recycle(std::move(b));
    }
    pipe.stop();  // releases the producer if storing failed
    producer.join();
    if (fatal) return *fatal;
    if (parse_error) {
        // Cancelled or unreadable: nothing is kept (the writer rolls back).
        if (parse_error->code != errc::invalid_argument) return *parse_error;
        sink.problem(file_name + ": " + parse_error->message);
    }
    for (const auto& d : parser.diagnostics()) sink.problem(file_name, d);
    sink.problem_count += static_cast<std::int64_t>(parser.error_count() - parser.diagnostics().size());
    return {};
}

// Running balances that do not follow from the amounts: kept as findings for reconciliation.
result<void> record_balance_breaks(const row_sink& sink, std::optional<storage::import_writer>& writer, import_report& report) {
    for (const auto& [id, ref] : sink.seen_accounts) {
        for (const auto& b : sink.balances.breaks(id)) {
            ++report.balance_breaks;
            if (!writer) continue;
            importers::statement_row at;
            at.date = b.date;
            at.line = b.line;
            const std::string detail = "line " + std::to_string(b.line) + ": the statement says the balance is " +
                                       b.actual.to_decimal() + " but the previous balance and this amount give " +
                                       b.expected.to_decimal();
            if (auto r = writer->add_finding(id, "BALANCE_MISMATCH", at, b.expected.pence(), b.actual.pence(), detail); !r)
                return r.error();
        }
    }
    return {};
}

// Step 5, store: the rows' verdict. Problems reject the file (the writer rolls back); otherwise balance
// breaks are kept as findings and the import commits.
result<import_report> finish_import(storage::database& db, import_report report, row_sink& sink,
                                    const row_store& storage_side, std::optional<storage::import_writer>& writer,
                                    const import_options& options, std::int64_t size, const std::string& now_utc) {
    if (options.unterminated_last_line) sink.check_last_balance(report.file_name);
    report.rows = sink.rows;
    report.added = storage_side.added;
    report.duplicates = storage_side.duplicates;
    for (const auto& u : sink.unmatched) sink.problem(report.file_name + ": " + u.safe, report.file_name + ": " + u.detail);
    for (const auto& [id, ref] : sink.seen_accounts) report.accounts.push_back(ref);
    if (sink.first) report.first_date = core::format_iso_date(*sink.first);
    if (sink.last) report.last_date = core::format_iso_date(*sink.last);
    if (sink.problem_count > 0) {
        report.errors = std::move(sink.problems);
        report.details = std::move(sink.details);
        report.error_count = sink.problem_count;
        writer.reset();  // rolls back
        return reject(db, report, options, size, now_utc);
    }
    if (auto r = record_balance_breaks(sink, writer, report); !r) return r.error();
    if (!writer) {
        report.status = core::import_status::checked;
        return report;
    }
    storage::import_record totals;
    for (const auto& ref : report.accounts) totals.accounts += (totals.accounts.empty() ? "" : ",") + ref;
    totals.rows = report.rows;
    totals.duplicates = report.duplicates;
    totals.first_date = report.first_date;
    totals.last_date = report.last_date;
    // Which way the file runs: by its dates, or for a file of one day by its balances.
    totals.newest_first = sink.first_in_file && *sink.first_in_file != *sink.last_in_file
                              ? *sink.first_in_file > *sink.last_in_file
                              : !sink.seen_accounts.empty() && sink.balances.runs_newest_first(sink.seen_accounts.begin()->first);
    if (auto r = writer->commit(totals); !r) return r.error();
    report.import_id = writer->import_id();
    report.status = core::import_status::imported;
    return report;
}

}  // namespace

result<import_report> import_statement_file(storage::database& db, const std::filesystem::path& file,
                                            const std::vector<importers::profile>& profiles,
                                            const import_options& options, const std::string& now_utc) {
    import_report report = base_report(file);
    auto opened = open_file(file, options, report);
    if (!opened) return opened.error();
    if (!report.errors.empty()) return reject(db, report, options, opened->size, now_utc);
    auto earlier = storage::find_imported(db, report.sha256);
    if (!earlier) return earlier.error();
    if (*earlier) {
        report.status = core::import_status::duplicate;
        report.import_id = (*earlier)->id;
        report.profile = (*earlier)->profile;
        return report;
    }
    auto profile = profile_for(profiles, options, opened->head, report);
    if (!profile) return profile.error();
    if (!*profile) return reject(db, report, options, opened->size, now_utc);
    report.profile = (*profile)->name;
    auto index = account_index::load(db, report.file_name);
    if (!index) return index.error();
    auto writer = begin_import(db, report, opened->size, options, now_utc);
    if (!writer) return writer.error();
    row_store storage_side(db, *writer);
    row_sink sink(*index, report.file_name);
    const int fd = opened->fd.get();
    auto read = (*profile)->format == "ofx" ? read_ofx_rows(fd, file, opened->size, options, sink, storage_side)
                                            : read_csv_rows(fd, file, opened->size, **profile, options, sink, storage_side);
    if (!read) return read.error();
    if (auto r = check_unchanged(fd, file, options); !r) return r.error();
    return finish_import(db, std::move(report), sink, storage_side, *writer, options, opened->size, now_utc);
}

}  // namespace dpmon::daemon
