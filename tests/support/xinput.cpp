// SPDX-License-Identifier: GPL-3.0-or-later
#include "xinput.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

namespace chatterbox::test::xinput {

namespace {

bool run(const QStringList &arguments, int settleMs = 120)
{
    QProcess xdotool;
    xdotool.start(QStringLiteral("xdotool"), arguments);
    const bool ok = xdotool.waitForFinished(10000) && xdotool.exitStatus() == QProcess::NormalExit && xdotool.exitCode() == 0;
    if (!ok)
        qWarning("xdotool %s failed: %s", qPrintable(arguments.join(QLatin1Char(' '))), xdotool.readAllStandardError().constData());
    QTest::qWait(settleMs);   // the X events it made reach the app
    return ok;
}

} // namespace

bool available()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") && !QStandardPaths::findExecutable(QStringLiteral("xdotool")).isEmpty();
}

bool type(const QString &text)
{
    return run({QStringLiteral("type"), QStringLiteral("--delay"), QStringLiteral("15"), text}, 200);
}

bool key(const QString &keys)
{
    return run({QStringLiteral("key"), keys});
}

bool activate(unsigned long window)
{
    return run({QStringLiteral("windowactivate"), QStringLiteral("--sync"), QString::number(window)}, 300);
}

bool click(QPoint global)
{
    return run({QStringLiteral("mousemove"), QString::number(global.x()), QString::number(global.y()), QStringLiteral("click"), QStringLiteral("1")});
}

bool drag(QPoint from, QPoint to)
{
    // One xdotool run, while this process goes on handling events: once Qt sees the drag start it
    // runs its own event loop until the button is let go, which a call that waited for each step
    // would never get to send.
    const auto xy = [](QPoint p) { return QStringList{QString::number(p.x()), QString::number(p.y())}; };
    QStringList arguments = QStringList{QStringLiteral("mousemove")} + xy(from)
                            + QStringList{QStringLiteral("sleep"), QStringLiteral("0.2"), QStringLiteral("mousedown"), QStringLiteral("1")};
    for (int step = 1; step <= 10; ++step)
        arguments += QStringList{QStringLiteral("sleep"), QStringLiteral("0.05"), QStringLiteral("mousemove")} + xy(from + (to - from) * step / 10);
    arguments += QStringList{QStringLiteral("sleep"), QStringLiteral("0.3"), QStringLiteral("mouseup"), QStringLiteral("1")};
    QProcess xdotool;
    xdotool.start(QStringLiteral("xdotool"), arguments);
    const bool done = QTest::qWaitFor([&] { return xdotool.state() == QProcess::NotRunning; }, 15000);
    QTest::qWait(300);
    return done && xdotool.exitCode() == 0;
}

} // namespace chatterbox::test::xinput
