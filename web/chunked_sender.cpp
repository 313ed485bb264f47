#include "web/chunked_sender.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <streambuf>
#include <vector>

namespace regcat::web {
namespace {

// Sends everything, waiting for the socket to accept more while it is full (a non-blocking
// socket answers EAGAIN), for at most `stall` without progress.
void sendAll(int fd, const char* data, size_t size, std::chrono::milliseconds stall) {
  while (size > 0) {
    // MSG_DONTWAIT: never block in send() itself, whatever the socket's mode; poll() waits.
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      data += n;
      size -= size_t(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd, POLLOUT, 0};
      const int ready = ::poll(&p, 1, int(stall.count()));
      if (ready < 0 && errno == EINTR) continue;
      if (ready == 0)
        throw ClientGone("the client read nothing for " + std::to_string(stall.count()) + " ms");
      if (ready < 0 || (p.revents & (POLLERR | POLLHUP | POLLNVAL)))
        throw ClientGone("the connection was closed");
      continue;
    }
    throw ClientGone(std::string("sending failed: ") + std::strerror(errno));
  }
}

// A stream buffer whose contents go out (as one chunk when chunked) each time it fills or is
// flushed.
class ChunkedBuf : public std::streambuf {
 public:
  ChunkedBuf(int fd, std::chrono::milliseconds stall, bool chunked)
      : fd_(fd), stall_(stall), chunked_(chunked), buf_(64 << 10) {
    // Room in front of the data for the chunk size line, so that a chunk is one send().
    setp(buf_.data() + kHead, buf_.data() + buf_.size() - 2);
  }
  unsigned long long sent() const { return sent_; }
  // After the first failure (which throws, ending the exporter), everything is discarded
  // quietly: destructors that flush while the exporter unwinds must not throw again.
  void flushChunk() {
    char* begin = buf_.data() + kHead;
    const size_t n = size_t(pptr() - begin);
    if (n == 0) return;
    if (failed_) {
      setp(begin, buf_.data() + buf_.size() - 2);
      return;
    }
    char* start = begin;
    size_t total = n;
    if (chunked_) {
      char line[kHead + 1];
      const int len = std::snprintf(line, sizeof line, "%zx\r\n", n);
      start = begin - len;
      std::memcpy(start, line, size_t(len));
      pptr()[0] = '\r';
      pptr()[1] = '\n';
      total += size_t(len) + 2;
    }
    setp(begin, buf_.data() + buf_.size() - 2);
    try {
      sendAll(fd_, start, total, stall_);
    } catch (...) {
      failed_ = true;
      throw;
    }
    sent_ += n;
  }

 protected:
  int_type overflow(int_type ch) override {
    flushChunk();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::streamsize done = 0;
    while (done < n) {
      if (pptr() == epptr()) flushChunk();
      const std::streamsize room = std::min<std::streamsize>(epptr() - pptr(), n - done);
      std::memcpy(pptr(), s + done, size_t(room));
      pbump(int(room));
      done += room;
    }
    return n;
  }
  int sync() override {
    flushChunk();
    return 0;
  }

 private:
  static constexpr size_t kHead = 18;  // up to 16 hex digits and CRLF
  int fd_;
  std::chrono::milliseconds stall_;
  bool chunked_;
  std::vector<char> buf_;
  unsigned long long sent_ = 0;
  bool failed_ = false;
};

}  // namespace

unsigned long long sendStreamed(int fd, const std::string& head,
                                const std::function<void(std::ostream&)>& produce,
                                std::chrono::milliseconds stallTimeout, Framing framing) {
  sendAll(fd, head.data(), head.size(), stallTimeout);
  ChunkedBuf buf(fd, stallTimeout, framing == Framing::Chunked);
  std::ostream out(&buf);
  // A failed send throws out of the exporter at once instead of only setting badbit, which the
  // exporter would find (if at all) after producing everything.
  out.exceptions(std::ios::badbit);
  produce(out);
  out.flush();
  buf.flushChunk();
  if (framing == Framing::Chunked) {
    static const char kLast[] = "0\r\n\r\n";
    sendAll(fd, kLast, sizeof kLast - 1, stallTimeout);
  }
  return buf.sent();
}

}  // namespace regcat::web
