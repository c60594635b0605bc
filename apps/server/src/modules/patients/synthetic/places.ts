// Synthetic test data, not reference data: a few districts per state with well-known localities and the
// first three digits of their PIN codes (the sorting district), typed by us. Enough for addresses that
// look right to a clerk in that state; a hospital's real address data comes from its own registrations.

export type District = {
  district: string;
  /** First three digits of the district's PIN codes; the generator adds three more. */
  pin: string;
  localities: readonly string[];
};

export const states = [
  'Karnataka',
  'Tamil Nadu',
  'Kerala',
  'Andhra Pradesh',
  'Telangana',
  'Maharashtra',
  'Goa',
  'Gujarat',
  'Delhi',
  'Uttar Pradesh',
  'Bihar',
  'Rajasthan',
  'Madhya Pradesh',
  'Punjab',
  'Haryana',
  'West Bengal',
  'Odisha',
  'Assam',
] as const;
export type State = (typeof states)[number];

export const districtsByState: Record<State, readonly District[]> = {
  Karnataka: [
    {
      district: 'Bengaluru Urban',
      pin: '560',
      localities: [
        'Jayanagar',
        'Koramangala',
        'Malleshwaram',
        'Rajajinagar',
        'Basavanagudi',
        'Indiranagar',
        'Whitefield',
        'Yelahanka',
        'BTM Layout',
        'Banashankari',
        'Vijayanagar',
        'Hebbal',
        'Electronic City',
        'Marathahalli',
        'Shivajinagar',
        'KR Puram',
        'Peenya',
        'JP Nagar',
        'HSR Layout',
        'Frazer Town',
      ],
    },
    { district: 'Bengaluru Rural', pin: '562', localities: ['Devanahalli', 'Hoskote', 'Doddaballapura'] },
    { district: 'Mysuru', pin: '570', localities: ['Kuvempunagar', 'Saraswathipuram', 'Jayalakshmipuram'] },
    { district: 'Mandya', pin: '571', localities: ['Maddur', 'Srirangapatna', 'Malavalli'] },
    { district: 'Tumakuru', pin: '572', localities: ['Tiptur', 'Kunigal', 'Sira'] },
    { district: 'Dakshina Kannada', pin: '575', localities: ['Kadri', 'Bejai', 'Puttur', 'Ullal'] },
    { district: 'Belagavi', pin: '590', localities: ['Tilakwadi', 'Gokak', 'Chikkodi'] },
  ],
  'Tamil Nadu': [
    {
      district: 'Chennai',
      pin: '600',
      localities: ['T Nagar', 'Mylapore', 'Adyar', 'Anna Nagar', 'Velachery', 'Tambaram', 'Perambur'],
    },
    {
      district: 'Coimbatore',
      pin: '641',
      localities: ['RS Puram', 'Gandhipuram', 'Peelamedu', 'Saibaba Colony'],
    },
    { district: 'Madurai', pin: '625', localities: ['Anna Nagar', 'KK Nagar', 'Thiruparankundram'] },
    { district: 'Krishnagiri', pin: '635', localities: ['Hosur', 'Denkanikottai', 'Krishnagiri'] },
    { district: 'Salem', pin: '636', localities: ['Fairlands', 'Hasthampatti', 'Attur'] },
  ],
  Kerala: [
    {
      district: 'Thiruvananthapuram',
      pin: '695',
      localities: ['Pattom', 'Kowdiar', 'Vazhuthacaud', 'Nemom'],
    },
    {
      district: 'Ernakulam',
      pin: '682',
      localities: ['Kakkanad', 'Edappally', 'Kaloor', 'Aluva', 'Vyttila'],
    },
    { district: 'Kozhikode', pin: '673', localities: ['Nadakkavu', 'Feroke', 'Vadakara'] },
    { district: 'Thrissur', pin: '680', localities: ['Punkunnam', 'Chalakudy', 'Guruvayur'] },
    { district: 'Kottayam', pin: '686', localities: ['Pala', 'Changanassery', 'Ettumanoor'] },
  ],
  'Andhra Pradesh': [
    { district: 'Visakhapatnam', pin: '530', localities: ['MVP Colony', 'Gajuwaka', 'Madhurawada'] },
    { district: 'Krishna', pin: '520', localities: ['Benz Circle', 'Patamata', 'Machilipatnam'] },
    { district: 'Guntur', pin: '522', localities: ['Brodipet', 'Tenali', 'Narasaraopet'] },
    { district: 'Chittoor', pin: '517', localities: ['Tirupati', 'Madanapalle', 'Kuppam'] },
    { district: 'Anantapur', pin: '515', localities: ['Hindupur', 'Dharmavaram', 'Kadiri'] },
  ],
  Telangana: [
    {
      district: 'Hyderabad',
      pin: '500',
      localities: ['Ameerpet', 'Kukatpally', 'Dilsukhnagar', 'Mehdipatnam', 'Secunderabad', 'Tolichowki'],
    },
    { district: 'Rangareddy', pin: '501', localities: ['Shamshabad', 'Ibrahimpatnam', 'Chevella'] },
    { district: 'Warangal', pin: '506', localities: ['Hanamkonda', 'Kazipet', 'Narsampet'] },
  ],
  Maharashtra: [
    {
      district: 'Mumbai Suburban',
      pin: '400',
      localities: ['Andheri', 'Borivali', 'Kurla', 'Malad', 'Bandra'],
    },
    { district: 'Pune', pin: '411', localities: ['Kothrud', 'Hadapsar', 'Aundh', 'Pimpri', 'Shivajinagar'] },
    { district: 'Nagpur', pin: '440', localities: ['Dharampeth', 'Sitabuldi', 'Manish Nagar'] },
    { district: 'Kolhapur', pin: '416', localities: ['Rajarampuri', 'Ichalkaranji', 'Shahupuri'] },
    { district: 'Nashik', pin: '422', localities: ['Panchavati', 'Nashik Road', 'Satpur'] },
  ],
  Goa: [
    { district: 'North Goa', pin: '403', localities: ['Panaji', 'Mapusa', 'Porvorim', 'Calangute'] },
    { district: 'South Goa', pin: '403', localities: ['Margao', 'Vasco da Gama', 'Colva'] },
  ],
  Gujarat: [
    { district: 'Ahmedabad', pin: '380', localities: ['Navrangpura', 'Maninagar', 'Satellite', 'Naranpura'] },
    { district: 'Surat', pin: '395', localities: ['Adajan', 'Varachha', 'Athwa'] },
    { district: 'Vadodara', pin: '390', localities: ['Alkapuri', 'Manjalpur', 'Gotri'] },
    { district: 'Rajkot', pin: '360', localities: ['Kalavad Road', 'Gondal', 'Jetpur'] },
  ],
  Delhi: [
    {
      district: 'South Delhi',
      pin: '110',
      localities: ['Saket', 'Malviya Nagar', 'Lajpat Nagar', 'Hauz Khas'],
    },
    { district: 'East Delhi', pin: '110', localities: ['Laxmi Nagar', 'Mayur Vihar', 'Preet Vihar'] },
    { district: 'North West Delhi', pin: '110', localities: ['Rohini', 'Pitampura', 'Shalimar Bagh'] },
  ],
  'Uttar Pradesh': [
    { district: 'Lucknow', pin: '226', localities: ['Gomti Nagar', 'Aliganj', 'Hazratganj', 'Indira Nagar'] },
    { district: 'Kanpur Nagar', pin: '208', localities: ['Kidwai Nagar', 'Swaroop Nagar', 'Kalyanpur'] },
    { district: 'Varanasi', pin: '221', localities: ['Lanka', 'Sigra', 'Sarnath'] },
    { district: 'Prayagraj', pin: '211', localities: ['Civil Lines', 'Naini', 'Jhunsi'] },
    { district: 'Gorakhpur', pin: '273', localities: ['Betiahata', 'Rustampur', 'Shahpur'] },
  ],
  Bihar: [
    { district: 'Patna', pin: '800', localities: ['Kankarbagh', 'Boring Road', 'Rajendra Nagar', 'Danapur'] },
    { district: 'Gaya', pin: '823', localities: ['Bodh Gaya', 'Sherghati', 'Manpur'] },
    { district: 'Muzaffarpur', pin: '842', localities: ['Brahmpura', 'Kanti', 'Motipur'] },
  ],
  Rajasthan: [
    {
      district: 'Jaipur',
      pin: '302',
      localities: ['Malviya Nagar', 'Vaishali Nagar', 'Mansarovar', 'Sanganer'],
    },
    { district: 'Jodhpur', pin: '342', localities: ['Sardarpura', 'Ratanada', 'Shastri Nagar'] },
    { district: 'Udaipur', pin: '313', localities: ['Hiran Magri', 'Fatehpura', 'Sector 14'] },
  ],
  'Madhya Pradesh': [
    { district: 'Bhopal', pin: '462', localities: ['Arera Colony', 'Kolar Road', 'MP Nagar'] },
    { district: 'Indore', pin: '452', localities: ['Vijay Nagar', 'Rajwada', 'Palasia'] },
    { district: 'Jabalpur', pin: '482', localities: ['Napier Town', 'Wright Town', 'Adhartal'] },
  ],
  Punjab: [
    { district: 'Ludhiana', pin: '141', localities: ['Model Town', 'Sarabha Nagar', 'Khanna'] },
    { district: 'Amritsar', pin: '143', localities: ['Ranjit Avenue', 'Majitha Road', 'Chheharta'] },
    { district: 'Jalandhar', pin: '144', localities: ['Model Town', 'Nakodar', 'Phillaur'] },
    { district: 'Patiala', pin: '147', localities: ['Tripuri', 'Rajpura', 'Samana'] },
  ],
  Haryana: [
    { district: 'Gurugram', pin: '122', localities: ['DLF Phase 2', 'Sohna Road', 'Palam Vihar'] },
    { district: 'Faridabad', pin: '121', localities: ['Sector 15', 'Ballabgarh', 'NIT'] },
    { district: 'Rohtak', pin: '124', localities: ['Model Town', 'Sonipat Road', 'Meham'] },
  ],
  'West Bengal': [
    {
      district: 'Kolkata',
      pin: '700',
      localities: ['Salt Lake', 'Behala', 'Jadavpur', 'Ballygunge', 'Dum Dum', 'Tollygunge', 'Garia'],
    },
    { district: 'Howrah', pin: '711', localities: ['Shibpur', 'Bally', 'Uluberia'] },
    { district: 'North 24 Parganas', pin: '743', localities: ['Barasat', 'Barrackpore', 'Habra'] },
    { district: 'Darjeeling', pin: '734', localities: ['Siliguri', 'Kurseong', 'Matigara'] },
  ],
  Odisha: [
    { district: 'Khordha', pin: '751', localities: ['Saheed Nagar', 'Patia', 'Nayapalli', 'Jatni'] },
    { district: 'Cuttack', pin: '753', localities: ['Buxi Bazaar', 'CDA Sector 9', 'Athagarh'] },
    { district: 'Ganjam', pin: '760', localities: ['Berhampur', 'Chhatrapur', 'Aska'] },
  ],
  Assam: [
    {
      district: 'Kamrup Metropolitan',
      pin: '781',
      localities: ['Dispur', 'Beltola', 'Chandmari', 'Maligaon'],
    },
    { district: 'Dibrugarh', pin: '786', localities: ['Chowkidinghee', 'Naharkatia', 'Duliajan'] },
    { district: 'Jorhat', pin: '785', localities: ['Cinnamara', 'Titabar', 'Mariani'] },
  ],
};

/** House-number-and-street forms, filled with a random number and one of the street names. */
export const streetNames = [
  'Main Road',
  '1st Cross',
  '2nd Cross',
  '3rd Main',
  '4th Cross',
  'Temple Street',
  'Station Road',
  'Gandhi Road',
  'Nehru Street',
  'Market Road',
  'Church Street',
  'School Road',
  'Hospital Road',
  'Ambedkar Nagar',
  'Subhash Marg',
  'Post Office Road',
  'Bazaar Street',
  'Lake View Road',
] as const;
