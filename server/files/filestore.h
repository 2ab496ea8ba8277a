// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/files/blobstore.h"

#include <pqxx/transaction_base>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chatterbox::server::files {

struct FileLimits {
    std::int64_t maxFileBytes = 0;   // one file
    std::int64_t quotaBytes = 0;     // all of one person's files together, sent or not
};

// What an upload declares before its first byte: what its sender's app knows of the file.
struct NewFile {
    std::string name;
    std::string mediaType;
    std::int64_t size = 0;
    std::optional<int> width;
    std::optional<int> height;
    std::string thumbnail;        // a small image made by the sender's app, or empty
    std::string thumbnailType;    // its media type: image/png, image/jpeg or image/webp
};

// Where an upload stands.
struct UploadState {
    std::string fileId;
    std::int64_t size = 0;
    std::int64_t received = 0;
    bool complete() const { return received == size; }
};

// A refusal, with the HTTP status it is answered with and a code and message for the client.
struct FileRefusal {
    int status = 400;
    std::string code;             // "invalid_request", "file_too_large", "quota_exceeded", "not_found", "wrong_offset"
    std::string message;
    std::int64_t offset = -1;     // for wrong_offset: where the upload stands
};

template <typename T>
struct FileResult {
    std::optional<T> value;
    FileRefusal refusal;
    explicit operator bool() const { return value.has_value(); }
};

// A file someone may read, and where its bytes are.
struct ReadableFile {
    std::string blobId;
    std::string name;
    std::string mediaType;
    std::int64_t size = 0;
    std::string thumbnail;
    std::string thumbnailType;
};

// The files table's rules, over a BlobStore for the bytes (docs/protocol.md, "Files"): uploads in
// pieces that resume where they stopped, the size limit and the quota, and who may read what.
// Every call runs in the caller's transaction; a refusal changes nothing.
class FileStore final {
public:
    FileStore(BlobStore &blobs, FileLimits limits) : m_blobs(blobs), m_limits(limits) {}

    // Checks what is declared, and the quota under the person's row lock (so uploads started at
    // once cannot together pass it). A zero-byte file is complete at once.
    FileResult<UploadState> begin(pqxx::transaction_base &tx, const std::string &userId, const NewFile &file);
    // One piece, at exactly the offset the upload stands at; the last one seals the blob.
    FileResult<UploadState> append(pqxx::transaction_base &tx, const std::string &userId, const std::string &fileId,
                                   std::int64_t offset, std::string_view bytes);
    // Where the uploader's upload stands (to resume after a cut); nothing for anyone else.
    std::optional<UploadState> status(pqxx::transaction_base &tx, const std::string &userId, const std::string &fileId);
    // A complete file, for its uploader while it is not sent, then for the members of the party
    // it was sent in, while its message is not deleted; a person's picture, for everyone who
    // shares a party with them. Nothing otherwise, the same as for an id that was never a file.
    std::optional<ReadableFile> readable(pqxx::transaction_base &tx, const std::string &userId, const std::string &fileId);
    std::string read(pqxx::transaction_base &tx, const ReadableFile &file, std::int64_t from, std::int64_t to);
    // Drops uploads never sent within kUnsentFileHours, then the bytes no file names (files of
    // deleted messages, topics and parties). How many blobs went.
    std::size_t sweep(pqxx::transaction_base &tx);

    const FileLimits &limits() const { return m_limits; }

private:
    void seal(pqxx::transaction_base &tx, const std::string &fileId, const std::string &blob);

    BlobStore &m_blobs;
    const FileLimits m_limits;
};

} // namespace chatterbox::server::files
