// HttpClient over cpprest, tested against a cpprest http_listener on
// 127.0.0.1 (plain HTTP, and HTTPS with a CA made by the openssl CLI).
#include <boost/asio/ssl.hpp>
#include <cpprest/http_listener.h>
#include <cpprest/producerconsumerstream.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "operator/http_client.h"
#include "operator/testing/fake_clock.h"
#include "tests/operator/support/test_env.h"

namespace foresight::op {
namespace {

using namespace std::chrono_literals;
using web::http::http_request;
using web::http::http_response;
using web::http::experimental::listener::http_listener;
using web::http::experimental::listener::http_listener_config;

// A listener on 127.0.0.1:<free port> that hands every request to `handler`.
class LocalListener {
 public:
  explicit LocalListener(std::function<void(http_request)> handler, bool https = false,
                         http_listener_config config = {})
      : port_(testsupport::FreeLocalPort()),
        base_(std::string(https ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_)),
        listener_(base_, config) {
    listener_.support(std::move(handler));
    listener_.open().wait();
  }
  ~LocalListener() { listener_.close().wait(); }
  std::string Url(const std::string& path) const { return base_ + path; }

 private:
  int port_;
  std::string base_;
  http_listener listener_;
};

std::unique_ptr<HttpClient> MakeClient(HttpClientOptions options = {}) {
  auto c = NewCpprestHttpClient(std::move(options));
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(c).value();
}

TEST(HttpClientTest, SendsMethodHeadersAndBodyAndReadsTheResponse) {
  std::promise<std::tuple<std::string, std::string, std::string, std::string>> seen;
  LocalListener server([&](http_request req) {
    seen.set_value({req.method(), req.relative_uri().to_string(),
                    req.headers().content_type(), req.extract_utf8string(true).get()});
    http_response resp(201);
    resp.headers().add("X-Answer", "42");
    resp.set_body(std::string("created"), "text/plain");
    req.reply(resp).wait();
  });
  auto client = MakeClient();
  HttpRequest req;
  req.method = "POST";
  req.url = server.Url("/api/v1/query?x=1");
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  req.body = "query=up";
  req.timeout = 5s;
  auto r = client->Send(req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, "created");
  EXPECT_EQ(r->Header("x-answer").value_or(""), "42");
  auto [method, uri, content_type, body] = seen.get_future().get();
  EXPECT_EQ(method, "POST");
  EXPECT_EQ(uri, "/api/v1/query?x=1");
  EXPECT_EQ(content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(body, "query=up");
}

TEST(HttpClientTest, AnErrorStatusIsAResponseNotAnError) {
  LocalListener server([](http_request req) { req.reply(503, "overloaded").wait(); });
  auto r = MakeClient()->Send({.url = server.Url("/x"), .timeout = 5s});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->body, "overloaded");
}

TEST(HttpClientTest, ARedirectIsReturnedNotFollowed) {
  // Followed, a 302 turns the POST into a GET without its body (what cpprest
  // does by default, Authorization header included): Prometheus would then
  // report a missing query.
  std::atomic<int> followed{0};
  LocalListener server([&](http_request req) {
    if (req.relative_uri().path() == "/new") {
      ++followed;
      req.reply(200, "followed").wait();
      return;
    }
    http_response resp(302);
    resp.headers().add("Location", "/new");
    req.reply(resp).wait();
  });
  auto r = MakeClient()->Send({.method = "POST",
                               .url = server.Url("/api/v1/query"),
                               .headers = {{"Authorization", "Bearer secret"}},
                               .body = "query=up",
                               .timeout = 5s});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 302);
  EXPECT_EQ(r->Header("location").value_or(""), "/new");
  EXPECT_EQ(followed, 0);
}

TEST(HttpClientTest, ASlowServerGivesDeadlineExceededWithinTheTimeout) {
  std::atomic<bool> release{false};
  LocalListener server([&](http_request req) {
    for (int i = 0; i < 300 && !release; ++i) std::this_thread::sleep_for(10ms);
    req.reply(200, "late").wait();
  });
  const auto start = std::chrono::steady_clock::now();
  auto r = MakeClient()->Send({.url = server.Url("/slow"), .timeout = 300ms});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  release = true;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), StatusCode::kDeadlineExceeded) << r.status().ToString();
  // The timeout plus the watchdog's slack (250 ms) plus room for a loaded machine.
  EXPECT_LT(elapsed, 1800ms);
}

TEST(HttpClientTest, NothingListeningIsUnavailable) {
  const int port = testsupport::FreeLocalPort();
  auto r = MakeClient()->Send(
      {.url = "http://127.0.0.1:" + std::to_string(port) + "/", .timeout = 2s});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), StatusCode::kUnavailable) << r.status().ToString();
}

TEST(HttpClientTest, ABadUrlIsInvalidArgument) {
  auto r = MakeClient()->Send({.url = "ftp://127.0.0.1/"});
  EXPECT_EQ(r.code(), StatusCode::kInvalidArgument);
}

TEST(HttpClientTest, BearerTokenIsSentAndRereadAfterA401) {
  testsupport::TempDir dir;
  const std::string token_file = dir.File("token");
  testsupport::WriteFile(token_file, "old-token\n");
  std::mutex mu;
  std::vector<std::string> auth_seen;
  LocalListener server([&](http_request req) {
    const std::string auth = req.headers().has("Authorization") ? req.headers()["Authorization"] : "";
    {
      std::lock_guard lock(mu);
      auth_seen.push_back(auth);
    }
    req.reply(auth == "Bearer new-token" ? 200 : 401, "").wait();
  });
  testing::FakeClock clock;
  auto source = std::make_shared<FileTokenSource>(token_file, clock);
  auto client = MakeClient({.bearer_token = source});
  auto first = client->Send({.url = server.Url("/"), .timeout = 5s});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->status, 401);  // old token, re-read gives the same old token
  // The kubelet rotates the token; the FakeClock has not moved, yet a 401
  // forces a re-read, so the retry uses the new token.
  testsupport::WriteFile(token_file, "new-token\n");
  auto second = client->Send({.url = server.Url("/"), .timeout = 5s});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, 200);
  std::lock_guard lock(mu);
  EXPECT_EQ(auth_seen.front(), "Bearer old-token");
  EXPECT_EQ(auth_seen.back(), "Bearer new-token");
}

// A server that writes lines into a chunked body one at a time, waiting for
// the test between lines.
struct StreamingServer {
  std::promise<void> first_line_read;
  std::atomic<bool> stop{false};
  std::atomic<bool> finished{false};
  LocalListener listener{[this](http_request req) {
    concurrency::streams::producer_consumer_buffer<uint8_t> buf;
    http_response resp(200);
    resp.set_body(buf.create_istream(), "application/json");
    auto replied = req.reply(resp);
    auto put = [&](const std::string& s) {
      buf.putn_nocopy(reinterpret_cast<const uint8_t*>(s.data()), s.size()).wait();
      buf.sync().wait();
    };
    put("{\"type\":\"ADDED\"}\n{\"type\":");
    first_line_read.get_future().wait_for(5s);
    put("\"MODIFIED\"}\n");
    if (close_after_two) {
      buf.close(std::ios_base::out).wait();
    } else {
      for (int i = 0; i < 500 && !stop; ++i) std::this_thread::sleep_for(10ms);
      buf.close(std::ios_base::out).wait();
    }
    try {
      replied.wait();
    } catch (...) {
    }
    finished = true;
  }};
  bool close_after_two = true;
};

TEST(HttpClientTest, StreamDeliversLinesAsTheyArrive) {
  StreamingServer server;
  std::vector<std::string> lines;
  LineSplitter splitter([&](std::string_view line) {
    lines.emplace_back(line);
    if (lines.size() == 1) server.first_line_read.set_value();  // server waits for this
    return true;
  });
  auto r = MakeClient()->Stream({.url = server.listener.Url("/watch"), .timeout = 5s},
                                splitter.AsChunkCallback(), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(splitter.Flush());
  EXPECT_EQ(lines, (std::vector<std::string>{R"({"type":"ADDED"})", R"({"type":"MODIFIED"})"}));
}

TEST(HttpClientTest, StreamIsCancellableFromAnotherThread) {
  StreamingServer server;
  server.close_after_two = false;  // keeps the stream open for 5 s
  CancelFlag cancel;
  int lines = 0;
  LineSplitter splitter([&](std::string_view) {
    if (++lines == 1) server.first_line_read.set_value();
    if (lines == 2) cancel.Cancel();
    return true;
  });
  const auto start = std::chrono::steady_clock::now();
  auto r = MakeClient()->Stream({.url = server.listener.Url("/watch"), .timeout = 10s},
                                splitter.AsChunkCallback(), &cancel);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  server.stop = true;
  EXPECT_EQ(r.code(), StatusCode::kCancelled) << r.status().ToString();
  EXPECT_EQ(lines, 2);
  EXPECT_LT(elapsed, 3s);
}

TEST(HttpClientTest, StreamStopsWhenTheCallbackSaysSo) {
  StreamingServer server;
  server.close_after_two = false;
  int chunks = 0;
  auto r = MakeClient()->Stream(
      {.url = server.listener.Url("/watch"), .timeout = 10s},
      [&](std::string_view) {
        ++chunks;
        server.first_line_read.set_value();
        return false;
      },
      nullptr);
  server.stop = true;
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(chunks, 1);
}

TEST(HttpClientTest, AnErrorStatusIsNotStreamedButReturnedWhole) {
  LocalListener server([](http_request req) {
    req.reply(410, R"({"kind":"Status","code":410,"reason":"Expired"})", "application/json")
        .wait();
  });
  int chunks = 0;
  auto r = MakeClient()->Stream({.url = server.Url("/watch"), .timeout = 5s},
                                [&](std::string_view) {
                                  ++chunks;
                                  return true;
                                },
                                nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 410);
  EXPECT_EQ(r->body, R"({"kind":"Status","code":410,"reason":"Expired"})");
  EXPECT_EQ(chunks, 0);
}

TEST(LineSplitterTest, JoinsPartialLinesAndStripsCarriageReturns) {
  std::vector<std::string> lines;
  LineSplitter s([&](std::string_view l) {
    lines.emplace_back(l);
    return true;
  });
  EXPECT_TRUE(s.Feed("ab"));
  EXPECT_TRUE(s.Feed("c\r\nd\n\ne"));
  EXPECT_TRUE(s.Flush());
  EXPECT_EQ(lines, (std::vector<std::string>{"abc", "d", "", "e"}));
}

// ---- HTTPS ----------------------------------------------------------------

// A CA and a server certificate for 127.0.0.1 signed by it, plus an unrelated
// CA, all made with the openssl CLI in a temporary directory.
class TlsFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto run = [&](std::vector<std::string> argv) {
      std::string out;
      argv.insert(argv.begin(), OPENSSL_BIN);
      ASSERT_EQ(testsupport::RunCommand(argv, &out), 0) << out;
    };
    const auto f = [&](const char* n) { return dir_.File(n); };
    for (const char* ca : {"ca", "other-ca"}) {
      run({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
           std::string("/CN=foresight-test-") + ca, "-keyout", f(ca) + ".key", "-out",
           f(ca) + ".crt"});
    }
    run({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout",
         f("server.key"), "-out", f("server.csr")});
    testsupport::WriteFile(f("ext.cnf"),
                           "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                           "extendedKeyUsage=serverAuth\n");
    run({"x509", "-req", "-in", f("server.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"),
         "-CAcreateserial", "-days", "2", "-extfile", f("ext.cnf"), "-out", f("server.crt")});
    // A client certificate for mutual TLS, signed by the same CA.
    run({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=foresight-operator", "-keyout",
         f("client.key"), "-out", f("client.csr")});
    testsupport::WriteFile(f("client-ext.cnf"), "extendedKeyUsage=clientAuth\n");
    run({"x509", "-req", "-in", f("client.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"),
         "-CAcreateserial", "-days", "2", "-extfile", f("client-ext.cnf"), "-out",
         f("client.crt")});
    ca_pem_ = testsupport::ReadFile(f("ca.crt"));
    other_ca_pem_ = testsupport::ReadFile(f("other-ca.crt"));
    ASSERT_NE(ca_pem_.find("BEGIN CERTIFICATE"), std::string::npos);
  }

  http_listener_config ServerConfig() {
    http_listener_config config;
    const std::string cert = dir_.File("server.crt"), key = dir_.File("server.key");
    config.set_ssl_context_callback([cert, key](boost::asio::ssl::context& ctx) {
      ctx.set_options(boost::asio::ssl::context::default_workarounds);
      ctx.use_certificate_chain_file(cert);
      ctx.use_private_key_file(key, boost::asio::ssl::context::pem);
    });
    return config;
  }

  // The server also demands a client certificate signed by the CA.
  http_listener_config MutualTlsServerConfig() {
    http_listener_config config;
    const std::string cert = dir_.File("server.crt"), key = dir_.File("server.key"),
                      ca = dir_.File("ca.crt");
    config.set_ssl_context_callback([cert, key, ca](boost::asio::ssl::context& ctx) {
      ctx.set_options(boost::asio::ssl::context::default_workarounds);
      ctx.use_certificate_chain_file(cert);
      ctx.use_private_key_file(key, boost::asio::ssl::context::pem);
      ctx.load_verify_file(ca);
      ctx.set_verify_mode(boost::asio::ssl::verify_peer |
                          boost::asio::ssl::verify_fail_if_no_peer_cert);
    });
    return config;
  }

  testsupport::TempDir dir_;
  std::string ca_pem_, other_ca_pem_;
};

TEST_F(TlsFixture, VerifiesTheServerAgainstTheGivenCa) {
  LocalListener server([](http_request req) { req.reply(200, "secure").wait(); },
                       /*https=*/true, ServerConfig());
  const HttpRequest req{.url = server.Url("/"), .timeout = 5s};

  auto wrong = MakeClient({.tls = {.ca_data = other_ca_pem_}})->Send(req);
  ASSERT_FALSE(wrong.ok()) << "a server signed by another CA must be rejected";
  EXPECT_EQ(wrong.code(), StatusCode::kUnavailable) << wrong.status().ToString();

  auto right = MakeClient({.tls = {.ca_data = ca_pem_}})->Send(req);
  ASSERT_TRUE(right.ok()) << right.status().ToString();
  EXPECT_EQ(right->body, "secure");

  auto by_file = MakeClient({.tls = {.ca_file = dir_.File("ca.crt")}})->Send(req);
  ASSERT_TRUE(by_file.ok()) << by_file.status().ToString();

  auto insecure = MakeClient({.tls = {.insecure_skip_verify = true}})->Send(req);
  ASSERT_TRUE(insecure.ok()) << insecure.status().ToString();
  EXPECT_EQ(insecure->status, 200);
}

TEST_F(TlsFixture, PresentsTheClientCertificateForMutualTls) {
  LocalListener server([](http_request req) { req.reply(200, "mutual").wait(); },
                       /*https=*/true, MutualTlsServerConfig());
  const HttpRequest req{.url = server.Url("/"), .timeout = 5s};

  auto anonymous = MakeClient({.tls = {.ca_data = ca_pem_}})->Send(req);
  EXPECT_FALSE(anonymous.ok()) << "the server demands a client certificate";

  auto by_data = MakeClient({.tls = {.ca_data = ca_pem_,
                                     .client_cert_data = testsupport::ReadFile(dir_.File("client.crt")),
                                     .client_key_data = testsupport::ReadFile(dir_.File("client.key"))}})
                     ->Send(req);
  ASSERT_TRUE(by_data.ok()) << by_data.status().ToString();
  EXPECT_EQ(by_data->body, "mutual");

  auto by_file = MakeClient({.tls = {.ca_file = dir_.File("ca.crt"),
                                     .client_cert_file = dir_.File("client.crt"),
                                     .client_key_file = dir_.File("client.key")}})
                     ->Send(req);
  ASSERT_TRUE(by_file.ok()) << by_file.status().ToString();
}

TEST(HttpClientOptionsTest, ACertificateWithoutAKeyIsRejected) {
  auto c = NewCpprestHttpClient({.tls = {.client_cert_data = "PEM"}});
  EXPECT_EQ(c.code(), StatusCode::kInvalidArgument);
}

TEST(HttpClientOptionsTest, AnUnreadableCaFileIsReportedWhenTheClientIsMade) {
  auto c = NewCpprestHttpClient({.tls = {.ca_file = "/nonexistent/ca.crt"}});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().find("/nonexistent/ca.crt"), std::string::npos);
}

}  // namespace
}  // namespace foresight::op
