using System.Runtime.InteropServices;

namespace SbiSharp.Cli;

/// <summary>Turns Ctrl+C (SIGINT) and SIGTERM (a preempted cluster job) into a cancellation that training honours after the current batch.</summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public Interruption()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    /// <summary>Cancelled on the first signal.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The signal that cancelled, if any.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>The conventional exit code for the signal: 128 + its number (130 for SIGINT, 143 for SIGTERM).</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? 143 : 130;

    private void Handle(PosixSignalContext context)
    {
        if (Signal is not null) return; // a second signal: let the default handler end the process
        context.Cancel = true;
        Signal = context.Signal;
        Console.Error.WriteLine($"{(context.Signal == PosixSignal.SIGINT ? "Ctrl+C" : context.Signal.ToString())}: stopping after the current batch (send it again to quit at once)...");
        _source.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _source.Dispose();
    }
}
