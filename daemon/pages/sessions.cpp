#include "dpmon/pages/sessions.hpp"

#include <openssl/rand.h>

#include <stdexcept>

#include "dpmon/core/text.hpp"

namespace dpmon::pages {
namespace {

std::string random_hex() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("OpenSSL could not make random bytes for a session");
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

}  // namespace

void session_store::set_lifetime(std::chrono::minutes lifetime) {
    std::lock_guard lock(mutex_);
    lifetime_ = lifetime;
}

std::chrono::minutes session_store::lifetime() const {
    std::lock_guard lock(mutex_);
    return lifetime_;
}

session_store::opened session_store::open(std::string token) {
    opened o{random_hex(), random_hex()};
    std::lock_guard lock(mutex_);
    const auto now = clock::now();
    forget_expired(now);
    sessions_[o.id] = entry{std::move(token), o.csrf, now + lifetime_, std::nullopt};
    return o;
}

std::optional<session_store::live> session_store::find(std::string_view id) {
    if (id.empty()) return std::nullopt;
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(std::string(id));
    if (it == sessions_.end()) return std::nullopt;
    if (it->second.expires <= clock::now()) {
        sessions_.erase(it);
        return std::nullopt;
    }
    return live{it->second.token, it->second.csrf};
}

void session_store::close(std::string_view id) {
    std::lock_guard lock(mutex_);
    sessions_.erase(std::string(id));
}

void session_store::set_flash(std::string_view id, flash f) {
    std::lock_guard lock(mutex_);
    if (auto it = sessions_.find(std::string(id)); it != sessions_.end()) it->second.left = std::move(f);
}

std::optional<flash> session_store::take_flash(std::string_view id) {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(std::string(id));
    if (it == sessions_.end() || !it->second.left) return std::nullopt;
    std::optional<flash> out = std::move(it->second.left);
    it->second.left.reset();
    return out;
}

void session_store::forget_expired(clock::time_point now) {
    std::erase_if(sessions_, [now](const auto& kv) { return kv.second.expires <= now; });
}

std::string cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const std::size_t semi = header.find(';');
        const std::string_view pair = core::trim(header.substr(0, semi));
        const std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos && core::trim(pair.substr(0, eq)) == name) return std::string(core::trim(pair.substr(eq + 1)));
        if (semi == std::string_view::npos) break;
        header.remove_prefix(semi + 1);
    }
    return {};
}

}  // namespace dpmon::pages
