//! Pods by uid in a vector: O(1) lookups, iteration in uid (creation) order, which keeps the
//! simulation deterministic. Uids are handed out sequentially by the simulator. Lookups
//! return `Option`: a uid that is gone (or never was) is not a panic.

use super::cluster::Pod;

#[derive(Default)]
pub struct PodStore {
    slots: Vec<Option<Pod>>,
    live: usize,
}

impl PodStore {
    fn index(uid: u64) -> Option<usize> {
        usize::try_from(uid).ok()
    }

    #[must_use]
    pub fn get(&self, uid: &u64) -> Option<&Pod> {
        self.slots.get(Self::index(*uid)?)?.as_ref()
    }

    pub fn get_mut(&mut self, uid: &u64) -> Option<&mut Pod> {
        self.slots.get_mut(Self::index(*uid)?)?.as_mut()
    }

    pub fn insert(&mut self, uid: u64, pod: Pod) {
        let Some(i) = Self::index(uid) else { return };
        if self.slots.len() <= i {
            self.slots.resize_with(i + 1, || None);
        }
        if self.slots[i].replace(pod).is_none() {
            self.live += 1;
        }
    }

    pub fn remove(&mut self, uid: &u64) -> Option<Pod> {
        let pod = self.slots.get_mut(Self::index(*uid)?)?.take()?;
        self.live -= 1;
        Some(pod)
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.live
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    pub fn values(&self) -> impl Iterator<Item = &Pod> {
        self.slots.iter().flatten()
    }
}
