// chatterbox-test-client URL TOKEN: connects, says hello, prints "ready", and stays connected
// until killed. Tests use it to see what the server makes of a client that dies.

#include "testclient.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: chatterbox-test-client WS_URL ACCESS_TOKEN\n");
        return 2;
    }
    chatterbox::test::TestClient client;
    if (!client.open(QUrl(QString::fromLocal8Bit(argv[1])), QByteArray(argv[2])) || !client.hello().is_object()) {
        std::fprintf(stderr, "could not connect\n");
        return 1;
    }
    std::printf("ready\n");
    std::fflush(stdout);
    return app.exec();
}
