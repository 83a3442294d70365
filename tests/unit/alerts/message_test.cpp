#include <catch2/catch.hpp>

#include "dpmon/alerts/message.hpp"
#include "dpmon/alerts/notices.hpp"

using namespace dpmon::alerts;

namespace {
const auto composed = std::chrono::system_clock::time_point(std::chrono::seconds(1796454000));  // 2026-12-05 07:00:00 UTC
}

TEST_CASE("a message has the headers, a stable Message-ID and a quoted-printable UTF-8 body with CRLF line ends") {
    const alert_content a{"review:42:7-days-before", "reminder", "officer@council.example", "[dpmon] review of DP-1 \xC2\xA3" "5",
                          "Account DP-1\nAmount \xC2\xA3" "12.00\n"};
    const std::string m = compose_message(a, "dp@council.example", composed);
    CHECK(m.find("Date: Sat, 05 Dec 2026 07:00:00 +0000\r\n") == 0);
    CHECK(m.find("From: dpmon <dp@council.example>\r\n") != std::string::npos);
    CHECK(m.find("To: <officer@council.example>\r\n") != std::string::npos);
    CHECK(m.find("Message-ID: <review.42.7-days-before.1796454000000@council.example>\r\n") != std::string::npos);
    CHECK(m.find("X-Dpmon-Alert-Key: review:42:7-days-before\r\n") != std::string::npos);
    CHECK(m.find("Subject: =?UTF-8?B?") != std::string::npos);
    CHECK(m.find("Content-Type: text/plain; charset=utf-8\r\n") != std::string::npos);
    CHECK(m.find("Amount =C2=A312.00\r\n") != std::string::npos);
    CHECK(m.find('\n') == m.find("\r\n") + 1);
    // Composed again for a retry: the same bytes.
    CHECK(compose_message(a, "dp@council.example", composed) == m);
}

TEST_CASE("a header value from data cannot start a new header") {
    const alert_content a{"flag:1:raised", "flag", "x@council.example\r\nBcc: evil@elsewhere.example", "hi\r\nBcc: y@z", "body"};
    const std::string m = compose_message(a, "dp@council.example", composed);
    CHECK(m.find("\r\nBcc:") == std::string::npos);
}

TEST_CASE("quoted-printable keeps lines under 76 characters and encodes trailing spaces and equals signs") {
    const std::string long_line(200, 'a');
    const std::string qp = quoted_printable(long_line + "\nx = y \n");
    std::size_t start = 0;
    while (start < qp.size()) {
        const auto end = qp.find("\r\n", start);
        CHECK((end == std::string::npos ? qp.size() : end) - start <= 76);
        if (end == std::string::npos) break;
        start = end + 2;
    }
    CHECK(qp.find("x =3D y=20\r\n") != std::string::npos);
}

TEST_CASE("ASCII subjects stay readable and others become encoded words") {
    CHECK(encode_header_text("[dpmon] OVERDRAWN on DP-1") == "[dpmon] OVERDRAWN on DP-1");
    CHECK(encode_header_text("\xC2\xA3" "1") == "=?UTF-8?B?wqMx?=");
}

TEST_CASE("recipients must be in an allowed domain when a list is set") {
    CHECK(recipient_allowed("a@Council.Example", {"council.example"}));
    CHECK_FALSE(recipient_allowed("a@council.example.evil.com", {"council.example"}));
    CHECK_FALSE(recipient_allowed("a@gmail.com", {"council.example"}));
    CHECK_FALSE(recipient_allowed("nobody", {}));
    CHECK(recipient_allowed("a@anywhere.example", {}));
}

TEST_CASE("the backoff doubles from the first wait up to the cap, spread by at most 20 % and never above the cap") {
    using std::chrono::milliseconds;
    const milliseconds initial(30000), cap(3600000);
    for (std::uint64_t r : {0ULL, 7ULL, 123456789ULL, ~0ULL}) {
        CHECK(backoff_delay(1, initial, cap, r) >= milliseconds(24000));
        CHECK(backoff_delay(1, initial, cap, r) <= milliseconds(36000));
        CHECK(backoff_delay(2, initial, cap, r) >= milliseconds(48000));
        CHECK(backoff_delay(2, initial, cap, r) <= milliseconds(72000));
        CHECK(backoff_delay(30, initial, cap, r) <= cap);
        CHECK(backoff_delay(30, initial, cap, r) >= milliseconds(2880000));
    }
}

TEST_CASE("a flag message says what happened and what to do, with the flag id, the reference and masked number only") {
    const flag_notice n{12, dpmon::core::flag_code::overdrawn, "DP-000123", "****5678", dpmon::core::money::from_pence(-4510), "2026-11-02",
                        "2026-11-29", false};
    const auto a = flag_group_alert({n}, "officer@council.example", "flags:officer@council.example:7", "https://dpmon.council.example");
    CHECK(a.key == "flags:officer@council.example:7");
    CHECK(a.to == "officer@council.example");
    CHECK(a.body.find("DP-000123") != std::string::npos);
    CHECK(a.body.find("****5678") != std::string::npos);
    CHECK(a.body.find("Flag id 12") != std::string::npos);
    CHECK(a.body.find("-\xC2\xA3" "45.10") != std::string::npos);
    CHECK(a.body.find("What to do:") != std::string::npos);
    CHECK(a.body.find("POST") == std::string::npos);  // officers have no shell: no HTTP verbs
    CHECK(a.body.find("/api/") == std::string::npos);
    CHECK(a.body.find("Open it: https://dpmon.council.example/accounts/DP-000123#flag-12\n") != std::string::npos);
}

TEST_CASE("five flags for one officer are one message whose subject names the first and counts the rest") {
    std::vector<flag_notice> five;
    for (int i = 0; i < 5; ++i)
        five.push_back({i + 1, dpmon::core::flag_code::balance_mismatch, "DP-00010" + std::to_string(i), "****5678",
                        dpmon::core::money::from_pence(1000), "2026-11-02", "2026-11-29", false});
    const auto a = flag_group_alert(five, "officer@council.example", "k", "https://dpmon.council.example");
    CHECK(a.subject == "[dpmon] 5 serious flags: DP-000100 statement balances do not follow (\xC2\xA3" "10.00 out) and 4 more");
    for (int i = 1; i <= 5; ++i) CHECK(a.body.find("Flag id " + std::to_string(i) + ",") != std::string::npos);
}

TEST_CASE("an OVERDRAWN alert's subject and body show the lowest balance as -£176.00 (no -£- and no £-)") {
    const flag_notice n{7, dpmon::core::flag_code::overdrawn, "DP-000110", "****5678", dpmon::core::money::from_pence(-17600), "2026-11-02",
                        "2026-11-29", false};
    const auto a = flag_group_alert({n}, "officer@council.example", "k", "https://dpmon.council.example");
    const std::string shown = "-\xC2\xA3" "176.00";
    CHECK(a.subject == "[dpmon] DP-000110 overdrawn: lowest balance " + shown);
    CHECK(a.body.find("lowest balance " + shown) != std::string::npos);
    for (const std::string* text : {&a.subject, &a.body}) {
        CHECK(text->find("-\xC2\xA3-") == std::string::npos);
        CHECK(text->find("\xC2\xA3-") == std::string::npos);
    }
}

TEST_CASE("a recovery notice prints every amount once, as money: deductions negative, thousands grouped") {
    recovery_notice n;
    n.recovery_id = 3;
    n.account_ref = "DP-000104";
    n.masked_account = "****1234";
    n.issued_on = "2026-12-01";
    n.amount = dpmon::core::money::from_pence(136904);
    n.balance = dpmon::core::money::from_pence(500000);
    n.balance_date = "2026-11-29";
    n.weekly_budget = dpmon::core::money::from_pence(30000);
    n.retained_weeks = "8";
    n.retained = dpmon::core::money::from_pence(240000);
    n.liabilities = dpmon::core::money::from_pence(12000);
    n.overpaid = dpmon::core::money::from_pence(0);
    n.recover_on = "2026-12-20";
    n.officer = "officer@council.example";
    const std::string text = recovery_notice_text(n);
    CHECK(text.find("recover \xC2\xA3" "1,369.04 on 2026-12-20") != std::string::npos);
    CHECK(text.find(": -\xC2\xA3" "2,400.00") != std::string::npos);
    CHECK(text.find(": -\xC2\xA3" "120.00") != std::string::npos);
    CHECK(text.find("Contributions you paid in above") == std::string::npos);
    CHECK(text.find("- \xC2\xA3") == std::string::npos);
}

TEST_CASE("the onboarding summary names a few accounts by reference and counts many without saying it twice") {
    dpmon::alerts::onboarding_notice few;
    few.accounts = {"DP-000101", "DP-000102"};
    few.open_flags_by_code = {{"SURPLUS", 1}};
    const auto a = dpmon::alerts::onboarding_alert(few, "o@council.example", "onboarding:k", "https://dpmon.council.example");
    CHECK(a.subject == "[dpmon] Now monitoring DP-000101, DP-000102: 1 open flag(s), 0 overdue review(s)");
    CHECK(a.body.find("the history of 2 of your accounts (DP-000101, DP-000102) for the first time") != std::string::npos);

    dpmon::alerts::onboarding_notice many;
    many.accounts = {"DP-1", "DP-2", "DP-3", "DP-4"};
    const auto b = dpmon::alerts::onboarding_alert(many, "o@council.example", "onboarding:k", "https://dpmon.council.example");
    CHECK(b.subject == "[dpmon] Now monitoring 4 of your accounts: 0 open flag(s), 0 overdue review(s)");
    CHECK(b.body.find("the history of 4 of your accounts for the first time") != std::string::npos);
    CHECK(b.body.find("(4 of your accounts)") == std::string::npos);
}
