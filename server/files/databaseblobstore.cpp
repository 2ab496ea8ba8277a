// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/files/blobstore.h"

#include "server/auth/crypto.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace chatterbox::server::files {

namespace {

std::string uuidArray(const std::vector<std::string> &ids)
{
    std::string text = "{";
    for (const auto &id : ids)
        text += (text.size() > 1 ? "," : "") + id;
    return text + "}";
}

// bytea comes as text, "\\x" and two hex digits a byte (the server's default bytea_output):
// bytes [from, to) of it, decoded straight into out (no copy between).
void appendUnhexed(std::string &out, std::string_view text, std::int64_t from, std::int64_t to)
{
    static const auto kValue = [] {
        std::array<std::uint8_t, 256> table{};
        for (int c = 0; c < 10; ++c)
            table[static_cast<std::size_t>('0' + c)] = static_cast<std::uint8_t>(c);
        for (int c = 0; c < 6; ++c) {
            table[static_cast<std::size_t>('a' + c)] = static_cast<std::uint8_t>(10 + c);
            table[static_cast<std::size_t>('A' + c)] = static_cast<std::uint8_t>(10 + c);
        }
        return table;
    }();
    if (text.substr(0, 2) != "\\x")
        throw std::runtime_error("file_chunks.data is not in bytea's hex output");
    const std::string_view digits = text.substr(2);
    const auto size = static_cast<std::int64_t>(digits.size() / 2);
    to = std::min(to, size);
    if (to <= from)
        return;
    const std::size_t at = out.size();
    out.resize(at + static_cast<std::size_t>(to - from));
    char *target = out.data() + at;
    const auto *source = reinterpret_cast<const unsigned char *>(digits.data()) + 2 * from;
    for (std::int64_t i = 0; i < to - from; ++i, source += 2)
        *target++ = static_cast<char>((kValue[source[0]] << 4) | kValue[source[1]]);
}

class DatabaseBlobStore final : public BlobStore {
public:
    std::string create(pqxx::transaction_base &tx, std::int64_t size) override
    {
        return tx.exec_params1("INSERT INTO file_blobs (size) VALUES ($1) RETURNING id", size)[0].as<std::string>();
    }

    void write(pqxx::transaction_base &tx, const std::string &blobId, std::int64_t offset, std::string_view bytes) override
    {
        // Sent as a binary parameter: no escaping, no doubling in size on the way.
        tx.exec_params0("INSERT INTO file_chunks (blob_id, start, sha256, data) VALUES ($1, $2, $3, $4)", blobId, offset,
                        pqxx::binarystring(crypto::sha256(bytes)), pqxx::binarystring(bytes.data(), bytes.size()));
    }

    std::string seal(pqxx::transaction_base &tx, const std::string &blobId) override
    {
        // The pieces' hashes were made as they arrived: sealing reads 40 bytes a piece.
        const auto hash = tx.exec_params1("SELECT sha256(int8send(b.size) || coalesce((SELECT string_agg(int8send(c.start) || c.sha256, ''::bytea"
                                          " ORDER BY c.start) FROM file_chunks c WHERE c.blob_id = b.id), ''::bytea))"
                                          " FROM file_blobs b WHERE b.id = $1", blobId)[0];
        const pqxx::binarystring digest(hash);
        // Two uploads of the same bytes sealing at once take turns; the second finds the first.
        tx.exec_params("SELECT pg_advisory_xact_lock(hashtextextended(encode($1, 'hex'), 7))", digest);
        // Locked against the sweep (which skips locked blobs) until this transaction names it.
        const auto same = tx.exec_params("SELECT id FROM file_blobs WHERE sha256 = $1 AND id <> $2 FOR KEY SHARE",
                                         digest, blobId);
        if (!same.empty())
            return same[0][0].as<std::string>();
        tx.exec_params0("UPDATE file_blobs SET sha256 = $2 WHERE id = $1", blobId, digest);
        return blobId;
    }

    std::string read(pqxx::transaction_base &tx, const std::string &blobId, std::int64_t from, std::int64_t to) override
    {
        std::string out;
        if (to <= from)
            return out;
        out.reserve(static_cast<std::size_t>(to - from));
        // Which pieces hold the range (their lengths come from the row, not the bytes), then each
        // one's part of it alone: a range of a few bytes reads a few bytes (the pieces are stored
        // uncompressed, so PostgreSQL reads a slice without the rest), and a whole file is read a
        // piece at a time, never all of it as hex at once.
        const auto pieces = tx.exec_params("SELECT start, octet_length(data) FROM file_chunks WHERE blob_id = $1"
                                           " AND start < $3 AND start + octet_length(data) > $2 ORDER BY start",
                                           blobId, from, to);
        for (const auto &piece : pieces) {
            const auto start = piece[0].as<std::int64_t>();
            const auto length = piece[1].as<std::int64_t>();
            const auto begin = std::max(from, start);
            const auto end = std::min(to, start + length);
            const auto part = tx.exec_params1("SELECT substring(data FROM $3 FOR $4) FROM file_chunks WHERE blob_id = $1 AND start = $2",
                                              blobId, start, begin - start + 1, end - begin);
            appendUnhexed(out, std::string_view(part[0].c_str(), part[0].size()), 0, end - begin);
        }
        return out;
    }

    std::size_t dropUnused(pqxx::transaction_base &tx, const std::vector<std::string> &candidates) override
    {
        // A blob that a file came to name after this statement's snapshot fails it on the foreign
        // key: in a savepoint, so that it costs a later sweep, not the caller's transaction.
        tx.exec0("SAVEPOINT drop_unused_blobs");
        try {
            const auto gone = tx.exec_params(
                "DELETE FROM file_blobs WHERE id IN (SELECT b.id FROM file_blobs b"
                " WHERE (cardinality($1::uuid[]) = 0 OR b.id = ANY($1::uuid[]))"
                " AND NOT EXISTS (SELECT 1 FROM files f WHERE f.blob_id = b.id) FOR UPDATE SKIP LOCKED)",
                uuidArray(candidates));
            tx.exec0("RELEASE SAVEPOINT drop_unused_blobs");
            return static_cast<std::size_t>(gone.affected_rows());
        } catch (const pqxx::foreign_key_violation &) {
            tx.exec0("ROLLBACK TO SAVEPOINT drop_unused_blobs");
            return 0;
        }
    }
};

} // namespace

std::unique_ptr<BlobStore> makeDatabaseBlobStore()
{
    return std::make_unique<DatabaseBlobStore>();
}

} // namespace chatterbox::server::files
