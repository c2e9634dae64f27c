using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Telemetry;

namespace MesOrleans.Simulator;

/// <summary>
/// One machine as its PLC would report it, driven by simulated time alone: parts at a little below ideal speed, minor
/// stops, breakdowns, changeovers and scrap, standing still in breaks and outside shifts. Every random draw comes from
/// the machine's own generator in the order events happen, so a seed gives the same messages however time is advanced.
/// Times are whole milliseconds, the resolution of the payload's timestamps.
/// </summary>
internal sealed class MachineSimulation
{
    // Real machines run somewhat below their ideal rate, each cycle a little different.
    private const double MinSpeedFactor = 1.05;
    private const double MaxSpeedFactor = 1.25;
    private const double CycleJitter = 0.04;

    private const double MinScrapRate = 0.005;
    private const double MaxScrapRate = 0.03;

    // Share of minor stops that are waiting (no material, no operator) rather than a small fault.
    private const double WaitingShare = 0.3;

    // Failures and changeovers come after running time, not calendar time: a machine that stands still does not wear.
    private static readonly TimeSpan MinMeanTimeBetweenFailures = TimeSpan.FromHours(2);
    private static readonly TimeSpan MaxMeanTimeBetweenFailures = TimeSpan.FromHours(6);
    private static readonly TimeSpan MinRepairTime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxRepairTime = TimeSpan.FromMinutes(45);
    private static readonly TimeSpan MinMeanTimeBetweenMinorStops = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan MaxMeanTimeBetweenMinorStops = TimeSpan.FromMinutes(40);
    private static readonly TimeSpan MinMinorStopTime = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxMinorStopTime = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan MinMeanTimeBetweenChangeovers = TimeSpan.FromHours(3);
    private static readonly TimeSpan MaxMeanTimeBetweenChangeovers = TimeSpan.FromHours(6);
    private static readonly TimeSpan MinChangeoverTime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MaxChangeoverTime = TimeSpan.FromMinutes(30);

    private readonly EquipmentPath _machine;
    private readonly double _idealCycleSeconds;
    private readonly ProductionCalendar _calendar;
    private readonly ReasonCatalog _reasons;
    private readonly SimulationSettings _settings;
    private readonly Random _random;
    private readonly string _stateTopic;
    private readonly string _countTopic;

    // The machine's character, drawn once.
    private readonly double _speedFactor;
    private readonly double _scrapRate;
    private readonly TimeSpan _meanTimeBetweenFailures;
    private readonly TimeSpan _meanTimeBetweenMinorStops;
    private readonly TimeSpan _meanTimeBetweenChangeovers;

    private readonly Dictionary<MachineState, TimeSpan> _timeInState = [];

    private DateTimeOffset _clock;
    private CalendarPhase _phase;
    private DateTimeOffset _nextCount;

    // What the machine does when the calendar lets it: a cycle or a stop, and how much of it is left. Breaks and time
    // outside shifts freeze it, so a repair or a part in progress goes on afterwards.
    private MachineState _activity = MachineState.Running;
    private string? _activityReason;
    private TimeSpan _remaining;

    // Running time left until the next stop of each kind.
    private TimeSpan _untilFailure;
    private TimeSpan _untilMinorStop;
    private TimeSpan _untilChangeover;

    // What the PLC has said.
    private MachineState _state;
    private string? _reason;
    private long _sequence;
    private long _total;
    private long _scrap;
    private long _publishedTotal;
    private long _publishedScrap;
    private int _stops;
    private int _breakdowns;

    public MachineSimulation(
        EquipmentPath machine,
        MachineModel model,
        ProductionCalendar calendar,
        ReasonCatalog reasons,
        SimulationSettings settings,
        Random random,
        DateTimeOffset start)
    {
        _machine = machine;
        _idealCycleSeconds = model.IdealCycleTimeSeconds;
        _calendar = calendar;
        _reasons = reasons;
        _settings = settings;
        _random = random;
        _stateTopic = $"{settings.TopicPrefix}/{machine}/state";
        _countTopic = $"{settings.TopicPrefix}/{machine}/count";

        _speedFactor = Between(MinSpeedFactor, MaxSpeedFactor);
        _scrapRate = Between(MinScrapRate, MaxScrapRate);
        _meanTimeBetweenFailures = Between(MinMeanTimeBetweenFailures, MaxMeanTimeBetweenFailures);
        _meanTimeBetweenMinorStops = Between(MinMeanTimeBetweenMinorStops, MaxMeanTimeBetweenMinorStops);
        _meanTimeBetweenChangeovers = Between(MinMeanTimeBetweenChangeovers, MaxMeanTimeBetweenChangeovers);
        _untilFailure = Exponential(_meanTimeBetweenFailures);
        _untilMinorStop = Exponential(_meanTimeBetweenMinorStops);
        _untilChangeover = Exponential(_meanTimeBetweenChangeovers);
        _remaining = NextCycle();

        _clock = start;
        _nextCount = start + settings.CountInterval;
    }

    /// <summary>Runs the machine up to <paramref name="to"/>, adding the messages it sends on the way, in time order.</summary>
    public void Advance(DateTimeOffset to, List<TelemetryMessage> output)
    {
        if (_sequence == 0)
        {
            Start(output);
        }

        while (true)
        {
            var next = NextEvent();
            if (next > to)
            {
                Elapse(to);
                return;
            }

            Elapse(next);

            // Events at the same instant in a fixed order: the part that completes is in the count published with it,
            // and both happen before a break begins.
            if (_phase.Kind == PhaseKind.Production && _remaining == TimeSpan.Zero)
            {
                FinishActivity(output);
            }

            if (_clock == _nextCount)
            {
                CountTick(output);
            }

            if (_clock == _phase.Until)
            {
                ChangePhase(output);
            }
        }
    }

    /// <summary>What the machine has done and said so far.</summary>
    public MachineTruth Truth() => new(
        _machine,
        _idealCycleSeconds,
        _publishedTotal,
        _publishedScrap,
        _sequence,
        _stops,
        _breakdowns,
        new Dictionary<MachineState, TimeSpan>(_timeInState));

    // A PLC that comes up tells its state and its counters, which the MES takes as the baseline.
    private void Start(List<TelemetryMessage> output)
    {
        _phase = _calendar.PhaseAt(_clock);
        if (_phase.Kind == PhaseKind.Production)
        {
            PublishState(MachineState.Running, null, output);
        }
        else
        {
            PublishState(MachineState.Planned, PlannedReason(_phase.Kind), output);
        }

        PublishCount(output);
    }

    private DateTimeOffset NextEvent()
    {
        var next = _phase.Until < _nextCount ? _phase.Until : _nextCount;
        if (_phase.Kind == PhaseKind.Production && _clock + _remaining < next)
        {
            next = _clock + _remaining;
        }

        return next;
    }

    private void Elapse(DateTimeOffset to)
    {
        var span = to - _clock;
        if (span <= TimeSpan.Zero)
        {
            return;
        }

        _timeInState[_state] = _timeInState.GetValueOrDefault(_state) + span;
        if (_phase.Kind == PhaseKind.Production)
        {
            _remaining -= span;
            if (_activity == MachineState.Running)
            {
                _untilFailure -= span;
                _untilMinorStop -= span;
                _untilChangeover -= span;
            }
        }

        _clock = to;
    }

    private void FinishActivity(List<TelemetryMessage> output)
    {
        if (_activity != MachineState.Running)
        {
            _activity = MachineState.Running;
            _activityReason = null;
            _remaining = NextCycle();
            PublishState(MachineState.Running, null, output);
            return;
        }

        _total++;
        if (_random.NextDouble() < _scrapRate)
        {
            _scrap++;
        }

        if (_settings.CountEveryParts is { } parts && _total - _publishedTotal >= parts)
        {
            PublishCount(output);
        }

        // A stop that is due starts when the part is done; the most serious one first.
        if (_untilFailure <= TimeSpan.Zero)
        {
            _untilFailure = Exponential(_meanTimeBetweenFailures);
            _breakdowns++;
            Stop(MachineState.Down, ReasonCatalog.Pick(_reasons.Breakdowns, _random), Between(MinRepairTime, MaxRepairTime), output);
        }
        else if (_untilChangeover <= TimeSpan.Zero)
        {
            _untilChangeover = Exponential(_meanTimeBetweenChangeovers);
            Stop(MachineState.Changeover, _reasons.Changeover, Between(MinChangeoverTime, MaxChangeoverTime), output);
        }
        else if (_untilMinorStop <= TimeSpan.Zero)
        {
            _untilMinorStop = Exponential(_meanTimeBetweenMinorStops);
            var waiting = _random.NextDouble() < WaitingShare;
            var reason = ReasonCatalog.Pick(waiting ? _reasons.Waiting : _reasons.MinorStops, _random);
            Stop(waiting ? MachineState.Idle : MachineState.Down, reason, Between(MinMinorStopTime, MaxMinorStopTime), output);
        }
        else
        {
            _remaining = NextCycle();
        }
    }

    private void Stop(MachineState state, string? reason, TimeSpan duration, List<TelemetryMessage> output)
    {
        // A PLC sends its counters when the machine stops, so the parts made before the stop are not held back.
        FlushCount(output);
        _activity = state;
        _activityReason = reason;
        _remaining = duration;
        _stops++;
        PublishState(state, reason, output);
    }

    private void CountTick(List<TelemetryMessage> output)
    {
        if (_settings.RepeatUnchangedCounts)
        {
            PublishCount(output);
        }
        else
        {
            FlushCount(output);
        }

        _nextCount += _settings.CountInterval;
    }

    private void ChangePhase(List<TelemetryMessage> output)
    {
        var previous = _phase.Kind;
        _phase = _calendar.PhaseAt(_clock);
        if (_phase.Kind == previous)
        {
            return;
        }

        if (_phase.Kind == PhaseKind.Production)
        {
            PublishState(_activity, _activityReason, output);
            return;
        }

        if (previous == PhaseKind.Production)
        {
            FlushCount(output);
        }

        PublishState(MachineState.Planned, PlannedReason(_phase.Kind), output);
    }

    private string? PlannedReason(PhaseKind phase) => phase == PhaseKind.Break ? _reasons.Break : null;

    private void PublishState(MachineState state, string? reason, List<TelemetryMessage> output)
    {
        if (_sequence > 0 && state == _state && reason == _reason)
        {
            return;
        }

        _state = state;
        _reason = reason;
        _sequence++;
        output.Add(new TelemetryMessage(_machine, TelemetrySignal.State, _clock, _sequence, _stateTopic, TelemetryPayload.State(_clock, state, reason, _sequence)));
    }

    private void FlushCount(List<TelemetryMessage> output)
    {
        if (_total != _publishedTotal || _scrap != _publishedScrap)
        {
            PublishCount(output);
        }
    }

    private void PublishCount(List<TelemetryMessage> output)
    {
        _publishedTotal = _total;
        _publishedScrap = _scrap;
        _sequence++;
        output.Add(new TelemetryMessage(_machine, TelemetrySignal.Count, _clock, _sequence, _countTopic, TelemetryPayload.Count(_clock, _total, _scrap, _sequence)));
    }

    private TimeSpan NextCycle() =>
        Milliseconds(_idealCycleSeconds * _speedFactor * (1 + (CycleJitter * ((2 * _random.NextDouble()) - 1))));

    private TimeSpan Exponential(TimeSpan mean) => Milliseconds(-mean.TotalSeconds * Math.Log(1 - _random.NextDouble()));

    private TimeSpan Between(TimeSpan min, TimeSpan max) => Milliseconds(Between(min.TotalSeconds, max.TotalSeconds));

    private double Between(double min, double max) => min + ((max - min) * _random.NextDouble());

    private static TimeSpan Milliseconds(double seconds) => TimeSpan.FromMilliseconds(Math.Max(1, Math.Round(seconds * 1000)));
}
