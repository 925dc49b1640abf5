"""The cadence points: the registry (`registry`), one module per point, the runs (`runs`), issuing
bulletins (`issue`) and the commands (`commands`). See wufei.points.registry."""
