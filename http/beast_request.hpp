#pragma once
// dpmon's request from Beast's: private to http/ (the server and parse_request share it).

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "dpmon/http/message.hpp"

namespace dpmon::http {

request to_request(const boost::beast::http::request<boost::beast::http::string_body>& r);

}  // namespace dpmon::http
