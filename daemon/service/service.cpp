#include "dpmon/service/settings.hpp"
#include "dpmon/service/service.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <sys/statvfs.h>
#include <malloc.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>
#include <fstream>
#include <iostream>

#include "dpmon/service/config.hpp"
#include "dpmon/jobs/drop_folder.hpp"
#include "dpmon/jobs/health_board.hpp"
#include "dpmon/app/backups.hpp"
#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/importers/detect.hpp"
#include "folder_events.hpp"
#include "dpmon/api/routes.hpp"
#include "dpmon/pages/pages.hpp"
#include "dpmon/http/metrics_route.hpp"
#include "dpmon/alerts/sender.hpp"
#include "dpmon/jobs/backup_job.hpp"
#include "dpmon/jobs/outbox_worker.hpp"
#include "dpmon/storage/outbox_store.hpp"

#include "dpmon/storage/flag_store.hpp"
#include "dpmon/storage/review_store.hpp"
#include "dpmon/service/logging.hpp"
#include "dpmon/app/system_clock.hpp"
#include "dpmon/service/systemd_notify.hpp"
#include "dpmon/service/version.hpp"
#include "dpmon/http/server.hpp"
#include "dpmon/http/status_routes.hpp"
#include "dpmon/storage/database.hpp"
#include "dpmon/service/users.hpp"
#include "http_workers.hpp"

namespace dpmon::daemon {
namespace {

namespace asio = boost::asio;

drop_folder_options drop_options_from(const config& c) {
    drop_folder_options o;
    o.drop_dir = c.daemon.drop_dir;
    o.state_dir = c.daemon.state_dir;
    o.settle = std::chrono::seconds(c.daemon.settle_seconds);
    o.rescan = std::chrono::seconds(c.daemon.rescan_seconds);
    o.max_file_bytes = c.daemon.max_file_bytes;
    o.profiles = importers::merge_profiles(c.profiles);
    o.extra_categories = c.extra_categories;
    o.reconciliation = reconcile_settings_from(c);
    o.reviews = review_settings_from(c);
    o.digest_at_minutes = std::stoi((c.smtp ? c.smtp->digest_at : std::string("08:00")).substr(0, 2)) * 60 +
                          std::stoi((c.smtp ? c.smtp->digest_at : std::string("08:00")).substr(3, 2));
    o.daily_at_minutes = std::stoi(c.daemon.daily_at.substr(0, 2)) * 60 + std::stoi(c.daemon.daily_at.substr(3, 2));
    try {
        o.zone = date::locate_zone(c.daemon.timezone);
    } catch (const std::exception&) {
        o.zone = nullptr;  // validated at load; UTC if the zone database went away since
    }
    return o;
}

outbox_options outbox_options_from(const config& c) {
    outbox_options o;
    o.db_path = c.daemon.state_dir / "dpmon.db";
    o.alerts = alert_settings_from(c);
    if (c.smtp) {
        o.retry_initial = std::chrono::seconds(c.smtp->retry_initial_seconds);
        o.retry_max = std::chrono::seconds(c.smtp->retry_max_seconds);
    }
    return o;
}

http::server_options server_options_from(const config& c) {
    http::server_options o;
    o.address = c.http.listen_address;
    o.port = c.http.listen_port;
    o.max_connections = static_cast<std::size_t>(c.http.max_connections);
    o.read_timeout = std::chrono::seconds(c.http.read_timeout_seconds);
    o.idle_timeout = std::chrono::seconds(c.http.idle_timeout_seconds);
    return o;
}

// The running service: owns the config, the database and the server, and answers status queries.
class service final : public core::status_query {
public:
    service(std::filesystem::path config_path, config cfg, storage::database db, const core::clock& clock)
        : config_path_(std::move(config_path)),
          config_(std::move(cfg)),
          db_(std::move(db)),
          clock_(clock),
          started_at_(clock.now()),
          config_loaded_at_(started_at_),
          health_(clock),
          state_dir_(config_.daemon.state_dir),
          signals_(io_, SIGINT, SIGTERM, SIGHUP),
          watchdog_(io_),
          health_timer_(io_),
          workers_(db_.path(), static_cast<std::size_t>(config_.http.reader_threads)) {
        for (const char* name : {"database", "disk", "imports", "reconciliation", "outbox"}) health_.declare(name);
        zone_ = locate_zone(config_.daemon.timezone);
    }

    int run() {
        http::add_status_routes(routes_, *this);
        http::add_metrics_route(routes_, metrics_, *this, [this] { return process_facts(); });
        if (!load_users_and_token(true)) return 2;
        routes_.set_authenticator([this](std::string_view token) { return users_.find(token); });
        settings_ = reconcile_settings_from(config_);
        review_settings_ = review_settings_from(config_);
        api_ = std::make_unique<api_context>(api_context{
            [this] { return workers_.reader(); }, db_,
            [this] { return std::chrono::milliseconds(query_time_limit_ms_.load()); },
            [this] {
                std::lock_guard lock(settings_mutex_);
                return settings_;
            },
            [this] {
                std::lock_guard lock(settings_mutex_);
                return review_settings_;
            },
            [this] { return today(); },
            [this] {
                if (outbox_) outbox_->wake();
            }});
        add_api_routes(routes_, *api_);
        sessions_ = std::make_unique<pages::session_store>(std::chrono::hours(config_.http.session_hours));
        pages_ = std::make_unique<pages::pages_context>(pages::pages_context{
            routes_, *sessions_, [this](std::string_view token) { return users_.find(token); },
            [this] { return secure_cookies_.load(); }});
        pages::add_pages(routes_, *pages_);
        apply_public_url();
        outbox_options outbox_opts = outbox_options_from(config_);
        outbox_opts.on_permanent_failure = [this] { check_health(); };
        outbox_opts.metrics = &metrics_;
        auto outbox = start_outbox_worker(outbox_opts, make_sender(), clock_);
        if (!outbox) {
            spdlog::critical("cannot start the outbox worker: {}", outbox.error().message);
            return 1;
        }
        outbox_ = std::move(*outbox);
        auto drop = start_drop_folder(drop_options(), clock_);
        if (!drop) {
            spdlog::critical("cannot start the drop-folder worker: {}", drop.error().message);
            return 1;
        }
        drop_ = std::move(*drop);
        if (config_.backup.enabled) backup_ = start_backup_job(backup_options_from(), clock_);
        // DPMON_TEST_NO_INOTIFY=1 stands for lost events in tests: only the scans find files then.
        if (std::getenv("DPMON_TEST_NO_INOTIFY") == nullptr) {
            events_.emplace(io_,
                            std::vector<std::filesystem::path>{config_.daemon.drop_dir / "statements",
                                                               config_.daemon.drop_dir / "plans"},
                            folder_event_handlers{[this](const std::filesystem::path& p) { drop_->file_closed(p); },
                                                  [this] { drop_->wake(); },
                                                  [this](bool watched) { drop_->set_watched(watched); }});
        } else {
            spdlog::warn("inotify disabled by DPMON_TEST_NO_INOTIFY; files are found by the periodic rescan");
        }
        if (auto counted = gather_counts(db_); !counted) spdlog::warn("status counts not gathered: {}", counted.error().message);
        http::server_options server_opts = server_options_from(config_);
        server_opts.metrics = &metrics_;
        auto server = http::start_http_server(io_, server_opts, routes_, workers_.executors());
        if (!server) {
            spdlog::critical("{}", server.error().message);
            return 1;
        }
        server_ = std::move(*server);
        spdlog::info("the dashboard for officers: {}/ (sign in with a token from dpmon users add)", config_.http.public_url);
        spdlog::info("dpmond {} listening on http://{}:{}", version(), config_.http.listen_address, server_->local_port());
        for (const auto& w : config_warnings(config_)) spdlog::warn("{}", w);
        wait_for_signal();
        if (auto interval = watchdog_interval()) {
            spdlog::info("systemd watchdog: pinging every {} ms", interval->count() / 1000);
            pet_watchdog(*interval);
        }
        notify_systemd("READY=1\nSTATUS=serving HTTP");
        refresh_health();
        io_.run();
        workers_.stop();  // handlers in hand finish before the connections they use close
        if (backup_) backup_->stop();  // a copy in progress is abandoned (its partial file removed next time)
        if (drop_) drop_->stop();  // abandons an import in progress (rolled back; imported at next start)
        if (outbox_) outbox_->stop();  // a send in progress gives up and stays pending
        if (stop_guard_.joinable()) {
            stop_guard_.request_stop();
            stop_guard_.join();
        }
        spdlog::info("dpmond stopped");
        return 0;
    }

    // GET /api/v1/status, on the event loop: the counts gathered at most a second ago (counts_as_of says
    // when), with the service's own figures as they are now.
    result<core::status_snapshot> status() override {
        core::status_snapshot s;
        {
            std::lock_guard lock(status_mutex_);
            if (!counts_) return make_error(errc::database_error, "the counts are gathered within a second of start: try again");
            s = *counts_;
        }
        s.version = std::string(version());
        s.started_at = started_at_;
        std::lock_guard lock(settings_mutex_);
        s.config_generation = config_generation_;
        s.config_loaded_at = config_loaded_at_;
        return s;
    }

    // From memory: the workers report imports, reconciliation and integrity as they go, and refresh_health()
    // looks at the database, the disk and the outbox every few seconds on a reader thread.
    std::vector<core::health_check> health() override { return health_.snapshot(); }

private:
    // On a reader thread: the counters the triggers keep (no scan), and the reviews due and overdue by the
    // (state, due_on) index.
    result<void> gather_counts(const storage::database& db) {
        core::status_snapshot s;
        auto counts = db.counts();
        if (!counts) return counts.error();
        auto schema = db.schema_version();
        if (!schema) return schema.error();
        s.schema_version = *schema;
        s.accounts = counts->accounts;
        s.transactions = counts->transactions;
        s.imports = counts->imports;
        s.last_import_at = counts->last_import_at;
        auto flags = storage::open_flag_counts(db);
        if (!flags) return flags.error();
        s.open_flags_by_code = std::move(*flags);
        auto reviews = storage::count_reviews(db, core::format_iso_date(today()));
        if (!reviews) return reviews.error();
        s.reviews_due = reviews->due;
        s.reviews_overdue = reviews->overdue;
        auto outbox = storage::count_outbox(db);
        if (!outbox) return outbox.error();
        s.outbox_pending = outbox->pending;
        s.outbox_failed = outbox->failed;
        s.counts_as_of = clock_.now();
        std::lock_guard lock(status_mutex_);
        counts_ = std::move(s);
        return {};
    }

    // Every second (and when the outbox worker reports a failure), off the loop: the database answers, the
    // disk has room, no alert failed for good; and the counts GET /api/v1/status shows.
    void refresh_health() {
        check_health();
        health_timer_.expires_after(std::chrono::seconds(1));
        health_timer_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) refresh_health();
        });
    }

    void check_health() {
        workers_.post_read([this] {
            if (auto reader = workers_.reader(); !reader) {
                health_.set("database", core::health_state::failing, "the database cannot be opened: " + reader.error().message);
            } else if (auto ok = (*reader)->ping(); !ok) {
                health_.set("database", core::health_state::failing, "the database does not answer: " + ok.error().message);
            } else {
                health_.ok("database");
                if (auto counted = gather_counts(**reader); !counted)
                    spdlog::warn("status counts not gathered: {}", counted.error().message);
                auto outbox = storage::count_outbox(**reader);
                if (outbox && outbox->failed > 0) {
                    health_.set("outbox", core::health_state::degraded,
                                std::to_string(outbox->failed) +
                                    " alert(s) failed permanently and were not sent: see dpmon outbox --state failed_permanent");
                } else if (outbox) {
                    health_.ok("outbox");
                }
            }
            check_disk();
            // Give back what big jobs (a full pass, a large account's figures) freed: dpmond's memory
            // returns to its working size between them instead of staying at the largest seen.
            if (++checks_ % 10 == 0) ::malloc_trim(0);
        });
    }

    // Degraded when the state folder's disk is nearly full: under 5 % free, or under 512 MiB on a large disk.
    void check_disk() {
        struct statvfs fs {};
        if (::statvfs(state_dir_.c_str(), &fs) != 0) return;
        const auto total = static_cast<std::uint64_t>(fs.f_blocks) * fs.f_frsize;
        const auto free = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
        const std::uint64_t floor = std::min<std::uint64_t>(total / 20, 512ULL << 20);
        if (free < floor) {
            health_.set("disk", core::health_state::degraded,
                        "the disk holding " + state_dir_.string() + " has " + std::to_string(free >> 20) +
                            " MiB free of " + std::to_string(total >> 20) + " MiB: free some space");
        } else {
            health_.ok("disk");
        }
    }

    void wait_for_signal() {
        signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
            if (ec) return;
            if (signo == SIGHUP) {
                reload();
                wait_for_signal();
                return;
            }
            spdlog::info("received {}, stopping", signo == SIGTERM ? "SIGTERM" : "SIGINT");
            stop();
        });
    }

    void stop() {
        notify_systemd("STOPPING=1");
        if (server_) server_->stop();
        if (events_) events_->stop();
        signals_.cancel();
        watchdog_.cancel();
        health_timer_.cancel();
        // Everything above ends its work promptly, so run() returns by itself. This guard, on its own
        // thread so that it does not keep the loop alive, bounds the stop in case something does not.
        stop_guard_ = std::jthread([this](std::stop_token token) {
            std::mutex m;
            std::unique_lock lock(m);
            std::condition_variable_any cv;
            if (!cv.wait_for(lock, token, std::chrono::seconds(3), [] { return false; }) && !token.stop_requested()) {
                spdlog::warn("work still pending 3 s after the stop request; stopping anyway");
                io_.stop();
            }
        });
    }

    // SIGHUP: a valid new config replaces the old one; an invalid one is rejected and the old one kept.
    void reload() {
        auto next = load_config(config_path_);
        if (!next) {
            spdlog::error("config reload rejected, keeping the previous configuration: {}", next.error().message);
            return;
        }
        if (next->http.listen_address != config_.http.listen_address || next->http.listen_port != config_.http.listen_port)
            spdlog::warn("config reload: http.listen changed; the new address takes effect after a restart");
        if (next->http.reader_threads != config_.http.reader_threads)
            spdlog::warn("config reload: http.reader_threads changed; it takes effect after a restart");
        if (next->daemon.state_dir != config_.daemon.state_dir)
            spdlog::warn("config reload: daemon.state_dir changed; it takes effect after a restart");
        if (next->backup.enabled != config_.backup.enabled || next->backup.at != config_.backup.at ||
            next->backup.keep_daily != config_.backup.keep_daily || next->backup.keep_weekly != config_.backup.keep_weekly ||
            next->backup.folder != config_.backup.folder)
            spdlog::warn("config reload: [backup] changed; it takes effect after a restart");
        next->http.listen_address = config_.http.listen_address;
        next->http.listen_port = config_.http.listen_port;
        next->daemon.state_dir = config_.daemon.state_dir;
        config_ = std::move(*next);
        set_log_level(config_.daemon.log_level);
        apply_public_url();
        sessions_->set_lifetime(std::chrono::hours(config_.http.session_hours));
        if (drop_) drop_->reconfigure(drop_options());
        {
            std::lock_guard lock(settings_mutex_);  // handlers on the reader and writer threads copy them
            settings_ = reconcile_settings_from(config_);
            review_settings_ = review_settings_from(config_);
            zone_ = locate_zone(config_.daemon.timezone);
        }
        load_users_and_token(false);
        {
            std::lock_guard lock(settings_mutex_);  // status() reads them on a reader thread
            ++config_generation_;
            config_loaded_at_ = clock_.now();
        }
        spdlog::info("config reloaded from {} (generation {})", config_path_.string(), config_generation_);
    }

    drop_folder_options drop_options() {
        drop_folder_options o = drop_options_from(config_);
        o.on_outbox = [this] {
            if (outbox_) outbox_->wake();
        };
        o.health = &health_;
        o.metrics = &metrics_;
        return o;
    }

    // SMTP when [smtp] is configured (the password from systemd's credentials, smtp-password, or from
    // [smtp] password_file); otherwise the maildir under the state folder, so nothing is lost.
    std::unique_ptr<alerts::mail_sender> make_sender() {
        if (!config_.smtp) {
            const auto dir = config_.daemon.state_dir / "maildir";
            spdlog::info("no [smtp]: alerts are written to {}", dir.string());
            return alerts::make_maildir_sender(dir);
        }
        const smtp_section& m = *config_.smtp;
        alerts::smtp_options o;
        o.url = m.url;
        o.username = m.username;
        std::filesystem::path secret = m.password_file;
        if (const char* creds = std::getenv("CREDENTIALS_DIRECTORY")) {
            if (std::filesystem::exists(std::filesystem::path(creds) / "smtp-password"))
                secret = std::filesystem::path(creds) / "smtp-password";
        }
        if (!secret.empty()) {
            std::ifstream in(secret);
            std::getline(in, o.password);
            while (!o.password.empty() && (o.password.back() == '\r' || o.password.back() == ' ')) o.password.pop_back();
            if (o.password.empty()) spdlog::warn("the SMTP password file {} is empty or unreadable", secret.string());
        }
        o.require_tls = m.require_tls;
        o.ca_file = m.ca_file.string();
        o.connect_timeout = std::chrono::seconds(m.connect_timeout_seconds);
        o.timeout = std::chrono::seconds(m.timeout_seconds);
        if (!m.require_tls && m.url.starts_with("smtp://"))
            spdlog::warn("[smtp] require_tls = false: alerts may cross the network unencrypted");
        return alerts::make_smtp_sender(o);
    }

    // The people who may use the API ([http] users_file) and the single admin token ([http] token_file, or
    // systemd's credential api-token). At start a users file that cannot be read stops dpmond; on reload the
    // previous users stay.
    bool load_users_and_token(bool starting) {
        auto users = load_users(config_.http.users_file);
        if (!users) {
            if (starting) {
                spdlog::critical("{}", users.error().message);
                return false;
            }
            spdlog::error("users file reload rejected, keeping the previous users: {}", users.error().message);
            return true;
        }
        struct stat st {};
        if (!users->empty() && ::stat(config_.http.users_file.c_str(), &st) == 0 && (st.st_mode & 027) != 0)
            spdlog::warn("the users file {} can be read by others or written by its group; make it mode 0600 (or 0640 "
                         "root:dpmon, as packaged)", config_.http.users_file.string());
        const std::string token = read_token();
        users_.reset(*users, token);
        query_time_limit_ms_ = config_.http.query_time_limit_ms;
        if (users_.size() == 0)
            spdlog::warn("no API users (no {} and no token in {}): every /api/v1 request is refused; add one with dpmon users add",
                         config_.http.users_file.string(), config_.http.token_file.string());
        else
            spdlog::info("API users: {} in {}{}", users->size(), config_.http.users_file.string(),
                         token.empty() ? "" : ", and the admin token");
        return true;
    }

    std::string read_token() const {
        std::filesystem::path path = config_.http.token_file;
        if (const char* creds = std::getenv("CREDENTIALS_DIRECTORY")) {
            if (std::filesystem::exists(std::filesystem::path(creds) / "api-token")) path = std::filesystem::path(creds) / "api-token";
        }
        std::ifstream in(path);
        std::string token;
        std::getline(in, token);
        while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
        struct stat st {};
        if (!token.empty() && ::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
            spdlog::warn("the API token file {} is readable by others; make it mode 0600", path.string());
        return token;
    }

    void pet_watchdog(std::chrono::microseconds interval) {
        notify_systemd("WATCHDOG=1");
        watchdog_.expires_after(interval);
        watchdog_.async_wait([this, interval](const boost::system::error_code& ec) {
            if (!ec) pet_watchdog(interval);
        });
    }

    std::filesystem::path config_path_;
    config config_;
    storage::database db_;
    const core::clock& clock_;
    std::chrono::system_clock::time_point started_at_;
    std::chrono::system_clock::time_point config_loaded_at_;
    health_board health_;
    std::int64_t config_generation_ = 1;
    user_directory users_;
    std::mutex settings_mutex_;
    std::mutex status_mutex_;
    std::atomic<std::uint64_t> checks_{0};  // health checks run
    std::optional<core::status_snapshot> counts_;  // gathered each second on a reader thread
    std::atomic<const date::time_zone*> zone_{nullptr};
    const std::filesystem::path state_dir_;  // fixed for the process (a reload keeps it)
    std::atomic<std::int64_t> query_time_limit_ms_{2000};
    reconcile_settings settings_;
    review_settings review_settings_;
    std::unique_ptr<outbox_worker> outbox_;

    // Any thread: the zone is looked up at start and reload (zones from the database live for the process).
    core::civil_date today() const {
        const date::time_zone* zone = zone_.load();
        if (zone == nullptr) return core::civil_date{date::floor<date::days>(clock_.now())};
        return core::local_date(clock_.now(), *zone);
    }

    static const date::time_zone* locate_zone(const std::string& name) {
        try {
            return date::locate_zone(name);
        } catch (const std::exception&) {
            return nullptr;  // validated at load; UTC if the zone database went away since
        }
    }

    asio::io_context io_{1};
    backup_options backup_options_from() {
        backup_options b;
        b.db_path = db_.path();
        b.folder = config_.backup.folder;
        b.at_minutes = std::stoi(config_.backup.at.substr(0, 2)) * 60 + std::stoi(config_.backup.at.substr(3, 2));
        b.keep_daily = config_.backup.keep_daily;
        b.keep_weekly = config_.backup.keep_weekly;
        b.zone = zone_.load();
        b.health = &health_;
        return b;
    }

    // [http] public_url names the proxy's Host and Origin, and makes the session cookie Secure when https.
    void apply_public_url() {
        std::vector<std::string> hosts = config_.http.allowed_hosts;
        if (const std::string host = url_host(config_.http.public_url); !host.empty()) hosts.push_back(host);
        routes_.set_allowed_hosts(std::move(hosts));
        routes_.set_allowed_origins({url_origin(config_.http.public_url)});
        secure_cookies_ = config_.http.public_url.starts_with("https://");
    }

    // For /metrics, on the event loop: VmRSS from /proc/self/statm, the database and its WAL by stat.
    http::process_facts process_facts() const {
        http::process_facts f;
        long pages_total = 0, resident = 0;
        if (std::ifstream statm("/proc/self/statm"); statm >> pages_total >> resident) f.resident_bytes = resident * sysconf(_SC_PAGESIZE);
        std::error_code ec;
        for (const auto& p : {db_.path(), std::filesystem::path(db_.path().string() + "-wal")}) {
            const auto size = std::filesystem::file_size(p, ec);
            if (!ec) f.database_bytes += static_cast<std::int64_t>(size);
        }
        return f;
    }

    core::metrics metrics_;
    http::router routes_;
    std::unique_ptr<pages::session_store> sessions_;
    std::unique_ptr<pages::pages_context> pages_;
    std::atomic<bool> secure_cookies_{false};
    std::unique_ptr<http::http_server> server_;
    std::unique_ptr<drop_folder> drop_;
    std::unique_ptr<backup_job> backup_;
    std::optional<folder_events> events_;
    asio::signal_set signals_;
    asio::steady_timer watchdog_;
    asio::steady_timer health_timer_;
    std::jthread stop_guard_;
    std::unique_ptr<api_context> api_;
    http_workers workers_;  // last: its threads stop before anything they use goes
};

void ensure_private_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    if (std::filesystem::exists(dir, ec)) return;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        spdlog::warn("cannot create {}: {}", dir.string(), ec.message());
        return;
    }
    ::chmod(dir.c_str(), 0700);
}

// Opens the database: quick_check after a clean stop, the full integrity_check after an unclean one (the
// marker file, written once the database is open and removed at a clean stop, is still there). The full
// check reads the whole file, minutes for a database of several GB: systemd is told to wait meanwhile.
result<storage::database> open_checked(const std::filesystem::path& db_path, const std::filesystem::path& marker) {
    std::error_code ec;
    const bool unclean = std::filesystem::exists(marker, ec) && std::filesystem::exists(db_path, ec);
    std::jthread keep_alive;
    if (unclean) {
        spdlog::warn("the last stop was not clean: checking the whole database (PRAGMA integrity_check) before serving");
        keep_alive = std::jthread([](std::stop_token token) {
            std::mutex m;
            std::unique_lock lock(m);
            std::condition_variable_any cv;
            do notify_systemd("EXTEND_TIMEOUT_USEC=30000000\nSTATUS=checking the database after an unclean stop");
            while (!cv.wait_for(lock, token, std::chrono::seconds(10), [] { return false; }) && !token.stop_requested());
        });
    }
    auto db = storage::database::open(db_path, unclean ? storage::integrity::full : storage::integrity::quick);
    keep_alive = {};
    if (!db) return db.error();
    if (unclean) spdlog::info("integrity_check: ok");
    const int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return make_error(errc::io_error, "cannot write " + marker.string() + ": " + std::strerror(errno));
    ::fsync(fd);
    ::close(fd);
    return db;
}

}  // namespace

int run_service(const service_options& options) {
    // Everything dpmond creates (database, archives, mail) is private to its user.
    ::umask(0077);
    // Two malloc arenas, not eight per core: the reader, writer and worker threads otherwise each keep the
    // memory of their largest job (a full pass, a big account) as free space nobody else can use.
    ::mallopt(M_ARENA_MAX, 2);

    auto cfg = load_config(options.config_path);
    if (!cfg) {
        std::cerr << "dpmond: " << cfg.error().message << "\n";
        return 2;
    }
    init_logging(cfg->daemon.log_level);
    spdlog::info("dpmond {} starting with {}", version(), options.config_path.string());

    const auto db_path = cfg->daemon.state_dir / "dpmon.db";
    ensure_private_dir(cfg->daemon.state_dir);
    // Held for the process's life: `dpmon restore` and a second dpmond see the database is in use.
    auto lock = storage::state_lock::take(db_path);
    if (!lock) {
        spdlog::critical("{}", lock.error().code == errc::conflict ? "another " + lock.error().message : lock.error().message);
        return 1;
    }
    auto db = open_checked(db_path, cfg->daemon.state_dir / "dpmond.running");
    if (!db) {
        spdlog::critical("{}", db.error().message);
        const bool refused = db.error().code == errc::database_corrupt || db.error().code == errc::schema_too_new;
        if (db.error().code == errc::database_corrupt) {
            if (const auto good = app::newest_good_backup(cfg->backup.folder))
                spdlog::critical("the newest good backup is {}: restore it with `dpmon restore {}` (dpmond stays stopped meanwhile), then start dpmond",
                                 good->string(), good->string());
            else
                spdlog::critical("no good backup in {}: restore one kept elsewhere with `dpmon restore FILE`", cfg->backup.folder.string());
        }
        return refused ? exit_database_refused : 1;
    }
    spdlog::info("database {} at schema version {}", db_path.string(), storage::database::latest_schema_version());
    ensure_private_dir(cfg->daemon.drop_dir / "statements");
    ensure_private_dir(cfg->daemon.drop_dir / "plans");
    ensure_private_dir(cfg->daemon.state_dir / "archive");
    ensure_private_dir(cfg->daemon.state_dir / "rejected");

    const auto clock = make_system_clock();
    const auto marker = cfg->daemon.state_dir / "dpmond.running";
    service svc(options.config_path, std::move(*cfg), std::move(*db), *clock);
    const int status = svc.run();
    if (status == 0) std::filesystem::remove(marker);  // a clean stop: no full check next time
    return status;
}

}  // namespace dpmon::daemon
