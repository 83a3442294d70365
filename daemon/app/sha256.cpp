#include "dpmon/app/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace dpmon::daemon {

struct sha256::state {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~state() { EVP_MD_CTX_free(ctx); }
};

sha256::sha256() : s_(std::make_unique<state>()) {
    if (!s_->ctx || EVP_DigestInit_ex(s_->ctx, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 is not available from OpenSSL");
}

sha256::~sha256() = default;

void sha256::update(std::string_view bytes) { EVP_DigestUpdate(s_->ctx, bytes.data(), bytes.size()); }

std::string sha256::raw(std::size_t bytes) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(s_->ctx, md, &len);
    EVP_DigestInit_ex(s_->ctx, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<const char*>(md), std::min<std::size_t>(bytes, len));
}

std::string sha256::hex() {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (const char c : raw()) {
        const auto b = static_cast<unsigned char>(c);
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

std::string sha256_hex(std::string_view text) {
    sha256 h;
    h.update(text);
    return h.hex();
}

}  // namespace dpmon::daemon
