// Sending a response body as it is produced (HTTP/1.1 chunked transfer coding), straight to the
// client's socket. Pistache 0.0.5 queues every write until the handler returns, so a response
// built in a handler is held in memory whole — 180 MB for the national DDI-Lifecycle export,
// twice over. Exports instead write into a std::ostream whose buffer (64 KiB) goes to the
// socket whenever it fills: the client receives the first bytes at once, memory stays flat
// whatever the size, and a slow client slows the exporter down (backpressure) instead of
// filling the server's memory.
#pragma once

#include <chrono>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>

namespace regcat::web {

// Thrown when the client went away or stopped reading for longer than the stall timeout; the
// connection must then be closed (the response is incomplete, which the missing last chunk
// tells the client).
struct ClientGone : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writes `head` (status line and headers, ending in an empty line, with Transfer-Encoding:
// chunked) and then the body that `produce` writes, as chunks, and the last chunk. `fd` is a
// connected, possibly non-blocking socket. Returns the number of body bytes sent. Throws
// ClientGone (see above) or whatever `produce` throws; in both cases the body is incomplete.
unsigned long long sendChunked(int fd, const std::string& head,
                               const std::function<void(std::ostream&)>& produce,
                               std::chrono::milliseconds stallTimeout);

}  // namespace regcat::web
