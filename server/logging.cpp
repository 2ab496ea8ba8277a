#include "server/logging.h"

namespace chatterbox::server {
Q_LOGGING_CATEGORY(lcNet, "chatterbox.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDb, "chatterbox.db", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "chatterbox.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "chatterbox.http", QtInfoMsg)
} // namespace chatterbox::server
