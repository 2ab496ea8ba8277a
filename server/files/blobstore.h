// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <pqxx/transaction_base>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chatterbox::server::files {

// Where the bytes of shared files live. Everything else about a file (its name, its owner, who
// may read it) is in the files table; a store holds bytes under a blob id, once per content.
// Every call takes the transaction of the request it serves, so that a store in the database
// commits with the request; a store elsewhere (docs/scaling.md: an S3-compatible one) keeps its
// blob rows in the same transaction and its bytes outside it.
class BlobStore {
public:
    virtual ~BlobStore() = default;

    // A new blob for an upload of this many bytes, written in pieces by write().
    virtual std::string create(pqxx::transaction_base &tx, std::int64_t size) = 0;
    // A piece, at the offset where the previous one ended (the caller checks that).
    virtual void write(pqxx::transaction_base &tx, const std::string &blobId, std::int64_t offset, std::string_view bytes) = 0;
    // Every byte is there: the blob to keep. That is this one, now known by its content hash, or
    // one with the same bytes stored before (the caller then names that one and drops this one).
    // Safe against a second upload of the same bytes sealing at the same moment.
    virtual std::string seal(pqxx::transaction_base &tx, const std::string &blobId) = 0;
    // Bytes [from, to) of a sealed blob.
    virtual std::string read(pqxx::transaction_base &tx, const std::string &blobId, std::int64_t from, std::int64_t to) = 0;
    // Drops the blobs no file names any more, among these (all of them when empty); a blob a
    // racing upload is about to name is left for a later sweep. How many went.
    virtual std::size_t dropUnused(pqxx::transaction_base &tx, const std::vector<std::string> &candidates) = 0;
};

// The default: bytes in PostgreSQL (file_blobs, file_chunks), so that several instances share
// them with nothing else to run, and a database backup holds them.
std::unique_ptr<BlobStore> makeDatabaseBlobStore();

} // namespace chatterbox::server::files
