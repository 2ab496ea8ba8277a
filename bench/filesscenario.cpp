// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/filesscenario.h"

#include "bench/stats.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <random>

namespace chatterbox::bench {

namespace {

// A plain blocking HTTP/1.1 connection, kept alive: the bench must cost less than the server, and
// a 25 MB body through QNetworkAccessManager costs more than the server does.
class Connection {
public:
    explicit Connection(const QUrl &server)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<quint16>(server.port()));
        ::inet_pton(AF_INET, server.host().toLatin1().constData(), &address.sin_addr);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
        m_host = server.host().toStdString() + ":" + std::to_string(server.port());
    }
    ~Connection()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool ok() const { return m_fd >= 0; }

    struct Answer {
        int status = 0;
        std::string body;
    };
    Answer request(const std::string &method, const std::string &path, const std::string &headers, std::string_view body)
    {
        const std::string head = method + " " + path + " HTTP/1.1\r\nHost: " + m_host + "\r\n" + headers
                                 + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
        if (!sendAll(head) || !sendAll(body))
            return {};
        // The head, then Content-Length bytes.
        std::string in;
        std::size_t headEnd;
        while ((headEnd = in.find("\r\n\r\n")) == std::string::npos) {
            if (!receive(in))
                return {};
        }
        Answer answer;
        answer.status = std::atoi(in.c_str() + 9);
        std::string lower = in.substr(0, headEnd);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const auto length = lower.find("content-length:");
        const std::size_t size = length == std::string::npos ? 0 : std::strtoull(lower.c_str() + length + 15, nullptr, 10);
        answer.body = in.substr(headEnd + 4);
        answer.body.reserve(size);
        while (answer.body.size() < size) {
            if (!receive(answer.body))
                return {};
        }
        return answer;
    }

private:
    bool sendAll(std::string_view bytes)
    {
        while (!bytes.empty()) {
            const ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    bool receive(std::string &into)
    {
        char buffer[256 * 1024];
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            return false;
        into.append(buffer, static_cast<std::size_t>(n));
        return true;
    }

    int m_fd = -1;
    std::string m_host;
};

} // namespace

int runFiles(Bench &bench, const FilesOptions &options)
{
    const auto tokens = bench.login(1, bench.runPrefix + QStringLiteral("files-"));
    if (tokens.front().isEmpty()) {
        std::fprintf(stderr, "chatterbox-bench files: sign-in failed\n");
        return 1;
    }
    const std::string authorization = "Authorization: Bearer " + tokens.front().toStdString() + "\r\n";
    Connection http(bench.server);
    if (!http.ok()) {
        std::fprintf(stderr, "chatterbox-bench files: cannot connect to %s\n", qPrintable(bench.server.toString()));
        return 1;
    }
    std::vector<double> upMBps, downMBps;
    std::mt19937_64 random(std::random_device{}());
    for (int round = 0; round < options.rounds; ++round) {
        std::string bytes(static_cast<std::size_t>(options.fileBytes), '\0');
        for (std::size_t i = 0; i + 8 <= bytes.size(); i += 8) {
            const std::uint64_t r = random();
            std::memcpy(bytes.data() + i, &r, 8);
        }

        QElapsedTimer timer;
        timer.start();
        const auto begun = http.request("POST", "/files", authorization + "Content-Type: application/json\r\n",
                                        json{{"name", "bench.bin"}, {"type", "application/octet-stream"}, {"size", options.fileBytes}}.dump());
        const json state = json::parse(begun.body, nullptr, false);
        if (begun.status != 201 || !state.contains("id")) {
            std::fprintf(stderr, "chatterbox-bench files: POST /files answered %d %s\n", begun.status, begun.body.c_str());
            return 1;
        }
        const std::string path = "/files/" + state["id"].get<std::string>();
        const auto piece = state["pieceBytes"].get<std::size_t>();
        for (std::size_t offset = 0; offset < bytes.size(); offset += piece) {
            const auto sent = http.request("PATCH", path, authorization + "Content-Type: application/offset+octet-stream\r\nUpload-Offset: "
                                                              + std::to_string(offset) + "\r\n",
                                           std::string_view(bytes).substr(offset, piece));
            if (sent.status != 200) {
                std::fprintf(stderr, "chatterbox-bench files: PATCH answered %d %s\n", sent.status, sent.body.c_str());
                return 1;
            }
        }
        const double upSeconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;

        timer.restart();
        const auto fetched = http.request("GET", path, authorization, {});
        const double downSeconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
        if (fetched.status != 200 || fetched.body != bytes) {
            std::fprintf(stderr, "chatterbox-bench files: the download (%d, %zu bytes) is not what was uploaded\n", fetched.status,
                         fetched.body.size());
            return 1;
        }
        const double megabytes = static_cast<double>(options.fileBytes) / 1e6;
        upMBps.push_back(megabytes / upSeconds);
        downMBps.push_back(megabytes / downSeconds);
        std::printf("  round %d: upload %.0f MB/s (%.0f ms), download %.0f MB/s (%.0f ms)\n", round + 1, upMBps.back(),
                    upSeconds * 1000, downMBps.back(), downSeconds * 1000);
    }
    const auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    std::printf("chatterbox-bench files: %lld bytes, %d rounds: upload %.0f MB/s, download %.0f MB/s (medians; MB = 10^6 bytes)\n",
                static_cast<long long>(options.fileBytes), options.rounds, median(upMBps), median(downMBps));
    bench.results.insert(QStringLiteral("fileBytes"), options.fileBytes);
    bench.results.insert(QStringLiteral("uploadMBps"), median(upMBps));
    bench.results.insert(QStringLiteral("downloadMBps"), median(downMBps));
    return 0;
}

} // namespace chatterbox::bench
