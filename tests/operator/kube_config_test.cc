#include "operator/kube_config.h"

#include <gtest/gtest.h>

#include <map>

#include "operator/testing/fake_clock.h"
#include "tests/operator/support/test_env.h"

namespace foresight::op {
namespace {

using namespace std::chrono_literals;
const std::string kDir = std::string(OPERATOR_TEST_DATA_DIR) + "/kubeconfig";

TEST(KubeconfigTest, CurrentContextWithTokenAndCaData) {
  auto c = LoadKubeconfig(kDir + "/two-contexts.yaml");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->server, "https://127.0.0.1:6443");  // trailing slash dropped
  EXPECT_EQ(c->namespace_name, "demo");
  EXPECT_EQ(c->token, "emu-token");  // trimmed; token wins over tokenFile
  EXPECT_EQ(c->token_file, "");
  EXPECT_EQ(c->tls.ca_data, "-----BEGIN CERTIFICATE-----\nFAKE-CA\n-----END CERTIFICATE-----\n");
  EXPECT_FALSE(c->tls.insecure_skip_verify);
  EXPECT_EQ(c->description, "kubeconfig " + kDir + "/two-contexts.yaml (context emu)");
}

TEST(KubeconfigTest, ContextOverrideWithClientCertificateAndInsecure) {
  auto c = LoadKubeconfig(kDir + "/two-contexts.yaml", "prod");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->server, "https://[fd00::1]:443");
  EXPECT_EQ(c->namespace_name, "default");
  EXPECT_TRUE(c->tls.insecure_skip_verify);
  EXPECT_NE(c->tls.client_cert_data.find("FAKE-CLIENT"), std::string::npos);
  EXPECT_NE(c->tls.client_key_data.find("FAKE-KEY"), std::string::npos);
  EXPECT_EQ(c->token, "");
  testing::FakeClock clock;
  EXPECT_EQ(TokenSourceFor(*c, clock), nullptr);
}

TEST(KubeconfigTest, RelativePathsAreRelativeToTheFileAndDataWins) {
  auto c = LoadKubeconfig(kDir + "/relative-paths.yaml");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->server, "http://127.0.0.1:8080");
  EXPECT_EQ(c->tls.ca_file, kDir + "/files/ca.crt");
  EXPECT_EQ(c->token_file, kDir + "/files/token");
  EXPECT_EQ(c->tls.client_cert_file, kDir + "/files/client.crt");
  EXPECT_EQ(c->tls.client_key_data, "key");  // base64 "a2V5"
  EXPECT_EQ(c->tls.client_key_file, "");
  testing::FakeClock clock;
  auto source = TokenSourceFor(*c, clock);
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->Token().value(), "file-token");
}

// Errors name the file and the field. Each case is a whole kubeconfig.
struct ErrorCase {
  const char* name;
  const char* yaml;
  const char* context;
  const char* message;  // expected after "kubeconfig /k.yaml: "
};

const ErrorCase kErrorCases[] = {
    {"not YAML", "a: [b", "", "not valid YAML"},
    {"no current context", "apiVersion: v1\nclusters: []\n", "",
     "current-context is not set and no context was given"},
    {"undefined current context", "current-context: x\ncontexts: []\n", "",
     "current-context 'x' is not defined in contexts"},
    {"undefined override", "current-context: x\ncontexts: []\n", "y",
     "context 'y' is not defined in contexts"},
    {"undefined cluster",
     "current-context: x\ncontexts: [{name: x, context: {cluster: y, user: u}}]\n", "",
     "context 'x' names cluster 'y' which is not defined"},
    {"undefined user",
     "current-context: x\ncontexts: [{name: x, context: {cluster: y, user: u}}]\n"
     "clusters: [{name: y, cluster: {server: 'https://h'}}]\n",
     "", "context 'x' names user 'u' which is not defined"},
    {"no server",
     "current-context: x\ncontexts: [{name: x, context: {cluster: y}}]\n"
     "clusters: [{name: y, cluster: {insecure-skip-tls-verify: true}}]\n",
     "", "cluster 'y' has no server"},
    {"server without scheme",
     "current-context: x\ncontexts: [{name: x, context: {cluster: y}}]\n"
     "clusters: [{name: y, cluster: {server: 'h:6443'}}]\n",
     "", "cluster 'y': server 'h:6443' must start with https:// or http://"},
    {"bad base64",
     "current-context: x\ncontexts: [{name: x, context: {cluster: y}}]\n"
     "clusters: [{name: y, cluster: {server: 'https://h', certificate-authority-data: '%%%'}}]\n",
     "", "cluster 'y': certificate-authority-data is not valid base64"},
    {"missing CA file",
     "current-context: x\ncontexts: [{name: x, context: {cluster: y}}]\n"
     "clusters: [{name: y, cluster: {server: 'https://h', certificate-authority: ca.pem}}]\n",
     "", "cluster 'y': certificate-authority /ca.pem cannot be read"},
    {"insecure with a CA",
     "current-context: x\ncontexts: [{name: x, context: {cluster: y}}]\n"
     "clusters: [{name: y, cluster: {server: 'https://h', insecure-skip-tls-verify: true,"
     " certificate-authority-data: 'YQ=='}}]\n",
     "", "insecure-skip-tls-verify is true and a certificate authority is given"},
    {"insecure not a bool",
     "current-context: x\ncontexts: [{name: x, context: {cluster: y}}]\n"
     "clusters: [{name: y, cluster: {server: 'https://h', insecure-skip-tls-verify: maybe}}]\n",
     "", "cluster 'y': insecure-skip-tls-verify must be true or false"},
    {"clusters not a list",
     "current-context: x\ncontexts: [{name: x, context: {cluster: y}}]\nclusters: {y: 1}\n", "",
     "clusters must be a list"},
    {"cert without key",
     "current-context: x\ncontexts: [{name: x, context: {cluster: y, user: u}}]\n"
     "clusters: [{name: y, cluster: {server: 'https://h'}}]\n"
     "users: [{name: u, user: {client-certificate-data: 'YQ=='}}]\n",
     "", "user 'u': client-certificate is given without client-key"},
    {"exec plugin",
     "current-context: x\ncontexts: [{name: x, context: {cluster: y, user: u}}]\n"
     "clusters: [{name: y, cluster: {server: 'https://h'}}]\n"
     "users: [{name: u, user: {exec: {command: helper}}}]\n",
     "", "user 'u': exec authentication is not supported"},
    {"missing token file",
     "current-context: x\ncontexts: [{name: x, context: {cluster: y, user: u}}]\n"
     "clusters: [{name: y, cluster: {server: 'https://h'}}]\n"
     "users: [{name: u, user: {tokenFile: /nonexistent/token}}]\n",
     "", "user 'u': tokenFile /nonexistent/token cannot be read"},
};

TEST(KubeconfigTest, ErrorsNameTheFileAndTheField) {
  for (const auto& c : kErrorCases) {
    SCOPED_TRACE(c.name);
    auto r = ParseKubeconfig(c.yaml, "/k.yaml", c.context);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.error().rfind("kubeconfig /k.yaml: ", 0), 0u) << r.error();
    EXPECT_NE(r.error().find(c.message), std::string::npos) << r.error();
  }
}

TEST(KubeconfigTest, AMissingFileIsNotFound) {
  auto r = LoadKubeconfig("/nonexistent/kubeconfig");
  EXPECT_EQ(r.code(), StatusCode::kNotFound);
  EXPECT_NE(r.error().find("/nonexistent/kubeconfig"), std::string::npos);
}

// ---- in cluster -------------------------------------------------------------

class InClusterTest : public ::testing::Test {
 protected:
  InClusterTest() {
    env_.getenv = [this](const std::string& n) -> std::optional<std::string> {
      auto it = vars_.find(n);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
    env_.token_path = dir_.File("token");
    env_.ca_path = dir_.File("ca.crt");
    env_.namespace_path = dir_.File("namespace");
    testsupport::WriteFile(env_.token_path, "sa-token\n");
    testsupport::WriteFile(env_.ca_path, "PEM");
    testsupport::WriteFile(env_.namespace_path, "foresight-system\n");
    vars_ = {{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}};
  }
  testsupport::TempDir dir_;
  std::map<std::string, std::string> vars_;
  InClusterEnvironment env_;
};

TEST_F(InClusterTest, ReadsTheServiceAccountMount) {
  auto c = LoadInClusterConfig(env_);
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->server, "https://10.96.0.1:443");
  EXPECT_EQ(c->tls.ca_file, env_.ca_path);
  EXPECT_EQ(c->token_file, env_.token_path);
  EXPECT_EQ(c->namespace_name, "foresight-system");
  testing::FakeClock clock;
  auto opts = HttpOptionsFor(*c, clock);
  ASSERT_NE(opts.bearer_token, nullptr);
  EXPECT_EQ(opts.bearer_token->Token().value(), "sa-token");
}

TEST_F(InClusterTest, BracketsAnIpv6HostAndDefaultsTheNamespace) {
  vars_["KUBERNETES_SERVICE_HOST"] = "fd00::1";
  std::remove(env_.namespace_path.c_str());
  auto c = LoadInClusterConfig(env_);
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->server, "https://[fd00::1]:443");
  EXPECT_EQ(c->namespace_name, "default");
}

TEST_F(InClusterTest, NotInAClusterOrMissingFiles) {
  vars_.erase("KUBERNETES_SERVICE_PORT");
  auto r = LoadInClusterConfig(env_);
  EXPECT_EQ(r.code(), StatusCode::kNotFound);
  EXPECT_NE(r.error().find("not running in a cluster"), std::string::npos);

  vars_["KUBERNETES_SERVICE_PORT"] = "443";
  std::remove(env_.token_path.c_str());
  r = LoadInClusterConfig(env_);
  EXPECT_NE(r.error().find(env_.token_path), std::string::npos) << r.error();
}

// ---- token rotation ---------------------------------------------------------

TEST(FileTokenSourceTest, RereadsWhenTheFileChangesWhenOldAndAfterInvalidate) {
  testsupport::TempDir dir;
  testing::FakeClock clock;
  const std::string path = dir.File("token");
  testsupport::WriteFile(path, "one\n");
  FileTokenSource source(path, clock, 50s);
  EXPECT_EQ(source.Token().value(), "one");

  // The kubelet swaps the file (a new inode via rename, like its ..data
  // symlink swap): seen at once, without waiting for the period.
  testsupport::WriteFile(dir.File("token.new"), "two-rotated\n");
  std::rename(dir.File("token.new").c_str(), path.c_str());
  EXPECT_EQ(source.Token().value(), "two-rotated");

  // A read error keeps the last good token.
  std::remove(path.c_str());
  clock.Advance(60s);
  EXPECT_EQ(source.Token().value(), "two-rotated");

  // Written back; after Invalidate() (a 401) the next call reads it.
  testsupport::WriteFile(path, "three\n");
  source.Invalidate();
  EXPECT_EQ(source.Token().value(), "three");
}

TEST(FileTokenSourceTest, ANeverReadableFileIsAnError) {
  testing::FakeClock clock;
  FileTokenSource source("/nonexistent/token", clock);
  auto r = source.Token();
  EXPECT_EQ(r.code(), StatusCode::kNotFound);
  EXPECT_NE(r.error().find("/nonexistent/token"), std::string::npos);
}

}  // namespace
}  // namespace foresight::op
