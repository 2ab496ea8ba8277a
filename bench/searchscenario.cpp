// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/searchscenario.h"

#include "bench/stats.h"

#include <QDateTime>
#include <QUuid>

#include <pqxx/pqxx>
#include <pqxx/stream_to>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>
#include <set>
#include <tuple>

namespace chatterbox::bench {

namespace {

constexpr int kTopicsPerParty = 5;
constexpr int kAuthors = 50;
constexpr int kSearchers = 10;   // connections taking turns, each under its request rate
constexpr int kPaceMs = 6;
constexpr std::size_t kVocabulary = 30000;

// Text that reads like chat to a search index: words drawn from a Zipf distribution over a
// vocabulary (the most common English words first, then made-up ones), messages of a few to a
// few dozen words, and now and then a link, a word with accents or a sentence in Japanese or
// Chinese, which have no spaces between words.
class ChatText {
public:
    explicit ChatText(std::uint64_t seed) : m_random(seed)
    {
        static const char *const common[] = {
            "the", "to", "i", "a", "and", "is", "it", "you", "that", "in", "of", "for", "we", "on", "this", "be", "with",
            "have", "but", "not", "can", "do", "so", "if", "just", "are", "was", "what", "me", "at", "my", "will", "think",
            "yes", "no", "get", "about", "there", "one", "now", "they", "all", "from", "like", "or", "an", "out", "up",
            "know", "when", "good", "how", "would", "time", "see", "more", "thanks", "ok", "then", "work", "today", "need",
            "here", "also", "should", "make", "some", "which", "new", "did", "could", "still", "go", "want", "because",
            "release", "build", "test", "review", "meeting", "tomorrow", "deploy", "server", "issue", "fix", "branch",
            "merge", "docs", "team", "week", "lunch", "coffee", "design", "customer", "ticket", "draft", "plan", "update",
        };
        std::set<std::string> seen;
        for (const char *word : common) {
            m_words.emplace_back(word);
            seen.insert(word);
        }
        static const char *const onsets[] = {"b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v",
                                             "w", "st", "tr", "pl", "gr", "sh", "ch", "br", "cl", "fr", "sp"};
        static const char *const vowels[] = {"a", "e", "i", "o", "u", "ai", "ou", "ee", "oa", "ie"};
        static const char *const codas[] = {"", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ck", "x"};
        while (m_words.size() < kVocabulary) {
            std::string word;
            const int syllables = 1 + static_cast<int>(m_random() % 3);
            for (int s = 0; s < syllables; ++s) {
                word += onsets[m_random() % std::size(onsets)];
                word += vowels[m_random() % std::size(vowels)];
            }
            word += codas[m_random() % std::size(codas)];
            if (seen.insert(word).second)
                m_words.push_back(word);
        }
        double sum = 0;
        for (std::size_t rank = 1; rank <= m_words.size(); ++rank) {
            sum += 1.0 / static_cast<double>(rank);
            m_cdf.push_back(sum);
        }
        for (double &c : m_cdf)
            c /= sum;
    }

    const std::vector<std::string> &words() const { return m_words; }

    std::string message()
    {
        const double roll = unit();
        if (roll < 0.01)
            return cjkSentence();
        std::string body;
        const int words = 1 + std::min(59, static_cast<int>(-std::log(1.0 - unit()) * 9.0));
        for (int i = 0; i < words; ++i) {
            if (i)
                body += ' ';
            body += zipfWord();
        }
        if (roll < 0.05) {
            static const char *const accented[] = {"café", "résumé", "naïve", "Zürich", "São Paulo", "Ärger", "déjà vu",
                                                   "façade", "Ångström", "jalapeño", "crème brûlée", "Kraków"};
            body += ' ';
            body += accented[m_random() % std::size(accented)];
        } else if (roll < 0.08) {
            body += " https://git.example.org/" + zipfWord() + "/issues/" + std::to_string(m_random() % 5000);
        }
        return body;
    }

private:
    double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(m_random); }

    const std::string &zipfWord()
    {
        const auto it = std::lower_bound(m_cdf.begin(), m_cdf.end(), unit());
        return m_words[std::min(m_words.size() - 1, static_cast<std::size_t>(it - m_cdf.begin()))];
    }

    std::string cjkSentence()
    {
        static const char *const cjk[] = {"会議", "東京", "明日", "資料", "確認", "今日", "問題", "予定", "了解",
                                          "お願いします", "ありがとう", "进度", "代码", "测试", "发布", "周末", "服务器"};
        std::string sentence;
        const int words = 3 + static_cast<int>(m_random() % 6);
        for (int i = 0; i < words; ++i)
            sentence += cjk[m_random() % std::size(cjk)];
        return sentence + "。";
    }

    std::mt19937_64 m_random;
    std::vector<std::string> m_words;
    std::vector<double> m_cdf;
};

std::string partyName(long long messages, int k)
{
    return "bench search " + std::to_string(messages) + " #" + std::to_string(k);
}

// The parties of an earlier run's seed, in order, if all of them hold their messages.
std::vector<std::string> findSeeded(pqxx::connection &db, const SearchOptions &options)
{
    pqxx::work tx(db);
    std::vector<std::string> ids;
    long long total = 0;
    for (int k = 0; k < options.parties; ++k) {
        const auto r = tx.exec_params("SELECT p.id::text, coalesce(sum(t.last_seq), 0) FROM parties p JOIN topics t ON t.party_id = p.id"
                                      " WHERE p.name = $1 GROUP BY p.id ORDER BY 2 DESC LIMIT 1",
                                      partyName(options.messages, k));
        if (r.empty())
            return {};
        ids.push_back(r[0][0].as<std::string>());
        total += r[0][1].as<long long>();
    }
    return total >= options.messages ? ids : std::vector<std::string>{};
}

// Parties, topics and authors in SQL; the messages by COPY, a party per transaction, in times
// spread over the last year so that every topic's history interleaves with the others'.
std::vector<std::string> seed(pqxx::connection &db, const SearchOptions &options, const std::string &ownerId)
{
    ChatText text(20261202);
    std::vector<std::string> authors;
    {
        static const char *const first[] = {"Ada", "Bruno", "Chiara", "Dmitri", "Esther", "Farid", "Greta", "Hiro", "Ines", "Jonas"};
        static const char *const last[] = {"Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak"};
        pqxx::work tx(db);
        for (int i = 0; i < kAuthors; ++i) {
            const std::string name = std::string(first[i % 10]) + " " + last[i / 10] + " " + std::to_string(options.messages);
            authors.push_back(tx.exec_params1("INSERT INTO users (display_name) VALUES ($1) RETURNING id::text", name)[0].as<std::string>());
        }
        tx.commit();
    }
    const long long perTopic = options.messages / (static_cast<long long>(options.parties) * kTopicsPerParty);
    const long long topicsTotal = static_cast<long long>(options.parties) * kTopicsPerParty;
    const std::int64_t endUs = (QDateTime::currentMSecsSinceEpoch() - 3600 * 1000) * 1000;
    const std::int64_t stepUs = 365LL * 24 * 3600 * 1000000 / (perTopic * topicsTotal);
    const std::int64_t startUs = endUs - stepUs * perTopic * topicsTotal;
    std::vector<std::string> partyIds;
    std::mt19937_64 random(7);
    for (int k = 0; k < options.parties; ++k) {
        pqxx::work tx(db);
        const std::string partyId = tx.exec_params1("INSERT INTO parties (name, owner_id) VALUES ($1, $2) RETURNING id::text",
                                                    partyName(options.messages, k), ownerId)[0].as<std::string>();
        tx.exec_params0("INSERT INTO members (party_id, user_id, role) VALUES ($1, $2, 'owner')", partyId, ownerId);
        for (const auto &author : authors)
            tx.exec_params0("INSERT INTO members (party_id, user_id, role) VALUES ($1, $2, 'member')", partyId, author);
        std::vector<std::string> topicIds;
        static const char *const topicNames[] = {"general", "releases", "random", "support", "design"};
        for (int t = 0; t < kTopicsPerParty; ++t)
            topicIds.push_back(tx.exec_params1("INSERT INTO topics (party_id, name, position, last_seq, last_rev)"
                                               " VALUES ($1, $2, $3, $4, $4) RETURNING id::text",
                                               partyId, topicNames[t], t, perTopic)[0].as<std::string>());
        pqxx::stream_to copy(tx, "messages",
                             std::vector<std::string>{"topic_id", "seq", "rev", "author_id", "client_msg_id", "body", "created_at"});
        for (long long seq = 1; seq <= perTopic; ++seq) {
            for (int t = 0; t < kTopicsPerParty; ++t) {
                const long long slot = (seq - 1) * topicsTotal + static_cast<long long>(k) * kTopicsPerParty + t;
                const std::int64_t us = startUs + slot * stepUs;
                const std::string at = QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")).toStdString()
                                       + "." + std::to_string(1000000 + us % 1000000).substr(1) + "+00";
                copy << std::make_tuple(topicIds[static_cast<std::size_t>(t)], seq, seq, authors[random() % authors.size()],
                                        QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString(), text.message(), at);
            }
        }
        copy.complete();
        tx.commit();
        partyIds.push_back(partyId);
        if ((k + 1) % 10 == 0) {
            std::printf("seeded %d of %d parties\n", k + 1, options.parties);
            std::fflush(stdout);
        }
    }
    pqxx::work(db).exec0("ANALYZE messages");
    return partyIds;
}

struct Measured {
    Percentiles ms;
    double meanResults = 0;
    std::vector<std::pair<double, std::string>> slowest;   // the tail, to look at with EXPLAIN
};

constexpr std::size_t kSlowestShown = 5;

} // namespace

int runSearch(Bench &bench, const SearchOptions &options)
{
    if (options.databaseUrl.empty()) {
        std::fprintf(stderr, "chatterbox-bench search: --database-url is needed, to seed the server's database\n");
        return 2;
    }
    pqxx::connection db(options.databaseUrl);
    auto parties = findSeeded(db, options);
    if (parties.empty()) {
        std::vector<Peer> owner;
        if (!connectSome(bench, owner, 1, bench.runPrefix + QStringLiteral("search-owner-")))
            return 1;
        QElapsedTimer seeding;
        seeding.start();
        parties = seed(db, options, owner.front().userId);
        std::printf("seeded %lld messages in %.0f s\n", options.messages, static_cast<double>(seeding.elapsed()) / 1000.0);
    }
    // Searchers signed in now, members of the first memberOf parties before they say hello.
    std::vector<Peer> searchers;
    {
        const auto tokens = bench.login(kSearchers, bench.runPrefix + QStringLiteral("searcher-"));
        searchers.resize(kSearchers);
        for (int i = 0; i < kSearchers; ++i)
            searchers[static_cast<std::size_t>(i)].token = tokens[static_cast<std::size_t>(i)];
        int failures = 0;
        bench.connectAll(searchers, kSearchers, &failures);
        if (failures || !bench.helloAll(searchers))
            return 1;
        pqxx::work tx(db);
        for (const auto &searcher : searchers)
            for (int k = 0; k < options.memberOf; ++k)
                tx.exec_params0("INSERT INTO members (party_id, user_id, role) VALUES ($1, $2, 'member') ON CONFLICT DO NOTHING",
                                parties[static_cast<std::size_t>(k)], searcher.userId);
        tx.commit();
        for (auto &searcher : searchers)
            searcher.socket.reset();
        bench.connectAll(searchers, kSearchers, &failures);
        if (failures || !bench.helloAll(searchers))
            return 1;
    }

    // The queries: one word as typed (a prefix), its rank in the vocabulary spread evenly on a
    // log scale from the commonest word to the rarest; and two neighbouring words of a message
    // in the searcher's parties, quoted, with its author.
    ChatText text(1);
    std::mt19937_64 random(42);
    std::vector<std::string> oneWord, phraseFrom;
    for (int i = 0; i < options.samples + 20; ++i) {
        const double u = std::uniform_real_distribution<double>(0.0, 1.0)(random);
        const auto rank = static_cast<std::size_t>(std::exp(u * std::log(static_cast<double>(kVocabulary))));
        oneWord.push_back(text.words()[std::min(rank, kVocabulary) - 1]);
    }
    {
        pqxx::work tx(db);
        const auto topics = tx.exec_params("SELECT id::text, last_seq FROM topics WHERE party_id = ANY($1::uuid[])",
                                           "{" + [&] {
                                               std::string list;
                                               for (int k = 0; k < options.memberOf; ++k)
                                                   list += (k ? "," : "") + parties[static_cast<std::size_t>(k)];
                                               return list;
                                           }() + "}");
        while (static_cast<int>(phraseFrom.size()) < options.samples + 20) {
            const auto &topic = topics[static_cast<int>(random() % topics.size())];
            const auto seq = 1 + static_cast<long long>(random() % static_cast<unsigned long long>(topic[1].as<long long>()));
            const auto row = tx.exec_params("SELECT m.body, u.display_name FROM messages m JOIN users u ON u.id = m.author_id"
                                            " WHERE m.topic_id = $1 AND m.seq = $2",
                                            topic[0].as<std::string>(), seq);
            if (row.empty())
                continue;
            const std::string body = row[0][0].as<std::string>();
            std::vector<std::string> words;
            for (std::size_t start = 0; start < body.size();) {
                const auto space = std::min(body.find(' ', start), body.size());
                words.push_back(body.substr(start, space - start));
                start = space + 1;
            }
            if (words.size() < 2 || words[0].find("://") != std::string::npos || words[1].find("://") != std::string::npos)
                continue;
            const std::size_t at = random() % (words.size() - 1);
            if (words[at + 1].find("://") != std::string::npos)
                continue;
            phraseFrom.push_back("\"" + words[at] + " " + words[at + 1] + "\" from:\"" + row[0][1].as<std::string>() + "\"");
        }
    }

    const auto measure = [&](const std::vector<std::string> &queries) {
        std::vector<double> ms;
        std::vector<std::pair<double, std::string>> timed;
        std::size_t results = 0;
        for (int i = 0; i < options.samples + 20; ++i) {
            waitFor([] { return false; }, kPaceMs);
            const qint64 start = nowNs();
            const json reply = call(searchers[static_cast<std::size_t>(i % kSearchers)], "message.search",
                                    {{"query", queries[static_cast<std::size_t>(i)]}, {"limit", 20}});
            if (!reply.contains("result")) {
                std::fprintf(stderr, "chatterbox-bench search: %s: unexpected reply %s\n", queries[static_cast<std::size_t>(i)].c_str(),
                             reply.dump().substr(0, 300).c_str());
                return Measured{};
            }
            if (i >= 20) { // the first few warm the caches
                ms.push_back(static_cast<double>(nowNs() - start) / 1e6);
                timed.emplace_back(ms.back(), queries[static_cast<std::size_t>(i)]);
                results += reply["result"]["results"].size();
            }
        }
        std::sort(timed.begin(), timed.end(), std::greater<>());
        timed.resize(std::min(timed.size(), kSlowestShown));
        return Measured{percentiles(ms), static_cast<double>(results) / options.samples, timed};
    };
    const Measured word = measure(oneWord);
    const Measured phrase = measure(phraseFrom);
    if (!word.ms.count || !phrase.ms.count)
        return 1;

    pqxx::work tx(db);
    const long long stored = tx.exec1("SELECT count(*) FROM messages")[0].as<long long>();
    const auto sizes = tx.exec1("SELECT pg_relation_size('messages'), pg_relation_size('messages_search_by_author'), pg_relation_size('messages_by_topic_time')");
    std::printf("chatterbox-bench search: %lld messages stored over %d parties, searchers in %d of them, %d searches each\n", stored,
                options.parties, options.memberOf, options.samples);
    std::printf("  %-28s %9.2f ms p50 %9.2f ms p99 %9.2f ms max  (%.1f results)\n", "one word, as typed", word.ms.p50, word.ms.p99,
                word.ms.max, word.meanResults);
    std::printf("  %-28s %9.2f ms p50 %9.2f ms p99 %9.2f ms max  (%.1f results)\n", "\"phrase\" from:person", phrase.ms.p50,
                phrase.ms.p99, phrase.ms.max, phrase.meanResults);
    for (const auto *m : {&word, &phrase})
        for (const auto &[ms, q] : m->slowest)
            std::printf("    slow: %8.2f ms  %s\n", ms, q.c_str());
    std::printf("  %-28s %9.0f MB table, %.0f MB search index, %.0f MB time index\n", "sizes", sizes[0].as<double>() / 1e6,
                sizes[1].as<double>() / 1e6, sizes[2].as<double>() / 1e6);
    bench.results.insert(QStringLiteral("messagesStored"), static_cast<qint64>(stored));
    bench.results.insert(QStringLiteral("oneWordP50Ms"), word.ms.p50);
    bench.results.insert(QStringLiteral("oneWordP99Ms"), word.ms.p99);
    bench.results.insert(QStringLiteral("phraseFromP50Ms"), phrase.ms.p50);
    bench.results.insert(QStringLiteral("phraseFromP99Ms"), phrase.ms.p99);
    bench.results.insert(QStringLiteral("searchIndexBytes"), sizes[1].as<double>());
    return 0;
}

} // namespace chatterbox::bench
