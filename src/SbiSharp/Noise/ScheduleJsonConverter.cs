namespace SbiSharp.Noise;

/// <summary>JSON for <see cref="INoiseSchedule"/> through <see cref="SbiSharp.Registration.Registries.Schedules"/>.</summary>
public sealed class ScheduleJsonConverter() : SbiSharp.Registration.RegistryJsonConverter<INoiseSchedule>(() => SbiSharp.Registration.Registries.Schedules);
