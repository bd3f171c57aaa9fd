// Status and Result<T> for the operator: a value or a categorised error,
// returned across every operator boundary instead of throwing (STYLE.md).
//
// Why not forecasting::Result: the operator must tell errors apart by
// category (a refused connection is retried, a timeout is counted, a query
// that returns three series is a user error reported in a condition), while
// forecasting::Error only carries a message and must not learn operator
// concepts. FromForecasting() converts a forecasting::Result at the seam.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "forecasting/result.h"

namespace foresight::op {

enum class StatusCode {
  kOk,
  kInvalidArgument,   // the caller's input (a query, a kubeconfig) is wrong
  kNotFound,          // a file or object does not exist
  kUnavailable,       // transport failure: refused, reset, DNS, TLS handshake
  kDeadlineExceeded,  // a timeout expired
  kCancelled,         // the caller cancelled the operation
  kBadResponse,       // the peer answered, but not with what the protocol says
  kConflict,          // the object changed since it was read (HTTP 409): re-read, decide again
  kInternal,          // a violated invariant on our side
};

const char* StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status DeadlineExceeded(std::string m) { return {StatusCode::kDeadlineExceeded, std::move(m)}; }
  static Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status BadResponse(std::string m) { return {StatusCode::kBadResponse, std::move(m)}; }
  static Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "Unavailable: connection refused" (or "OK").
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit on purpose
  // REQUIRES: !status.ok()
  Result(Status status) : state_(std::move(status)) {}  // NOLINT: implicit on purpose

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // OK when ok(); the error otherwise.
  Status status() const { return ok() ? Status() : std::get<Status>(state_); }
  // REQUIRES: !ok()
  const std::string& error() const { return std::get<Status>(state_).message(); }
  StatusCode code() const { return ok() ? StatusCode::kOk : std::get<Status>(state_).code(); }

 private:
  std::variant<T, Status> state_;
};

// A forecasting error becomes kInvalidArgument: the engine rejects its input.
template <typename T>
Result<T> FromForecasting(forecasting::Result<T> r) {
  if (r.ok()) return std::move(r).value();
  return Status::InvalidArgument(r.error());
}

}  // namespace foresight::op
