//! Typed indices into the model's tables. They are made only by lowering,
//! so an ID always names an entry of the model it came from.

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub(crate) u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }

            pub(crate) fn from_index(index: usize) -> $name {
                $name(u32::try_from(index).unwrap_or(u32::MAX))
            }
        }
    };
}

id!(
    /// An external entity, process or store.
    ElementId
);
id!(
    /// A trust boundary.
    BoundaryId
);
id!(
    /// A data flow.
    FlowId
);
id!(
    /// A threat actor (built-in or declared).
    ActorId
);
id!(
    /// A threat.
    ThreatId
);
id!(
    /// A control (language 0.2).
    ControlId
);
id!(
    /// A data asset (language 0.2).
    AssetId
);
id!(
    /// An assumption (language 0.2).
    AssumptionId
);
